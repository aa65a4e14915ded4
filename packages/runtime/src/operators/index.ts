import type { NodeKind, ParamsOf, PipelineNode } from '@eddy/shared';
import type { Operator, OperatorContext } from '../core/operator.js';
import { FilterOperator } from './filter.js';
import { MapOperator } from './map.js';
import { createWindowOperator } from './window/index.js';
import { GeneratorSource } from '../sources/generator/generator-source.js';
import { FileSource } from '../sources/file-source.js';
import { LiveSinkOperator } from '../sinks/live-sink.js';
import { LogSinkOperator } from '../sinks/log-sink.js';
import { FileSinkOperator } from '../sinks/file-sink.js';

type Node<K extends NodeKind> = PipelineNode & { kind: K; params: ParamsOf<K> };
export type OperatorFactory<K extends NodeKind = NodeKind> = (node: Node<K>, ctx: OperatorContext) => Operator;

/** One factory per node kind; a kind missing here fails to compile. */
export const operatorFactories: { [K in NodeKind]: OperatorFactory<K> } = {
  'source.generator': (node, ctx) => new GeneratorSource(node.params, ctx.now),
  'source.file': (node, ctx) => new FileSource(node.params, ctx.baseDir),
  filter: (node, ctx) => new FilterOperator(node.params, ctx),
  map: (node, ctx) => new MapOperator(node.params, ctx),
  window: (node, ctx) => createWindowOperator(node.params, ctx),
  'sink.live': (node, ctx) => new LiveSinkOperator(node.params, ctx),
  'sink.log': (node, ctx) => new LogSinkOperator(node.params, ctx),
  'sink.file': (node, ctx) => new FileSinkOperator(node.params, ctx),
};
