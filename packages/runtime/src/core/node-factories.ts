import type { NodeKind, ParamsOf, PipelineNode, SourceKind } from '@eddy/shared';
import type { NodeContext, Operator, OperatorContext } from './operator.js';
import type { SourceConnector } from './source.js';

export type NodeOf<K extends NodeKind> = PipelineNode & { kind: K; params: ParamsOf<K> };
export type OperatorKind = Exclude<NodeKind, SourceKind>;

/** Builds a source from its node and context (given once; open takes none). */
export type SourceFactory<K extends SourceKind = SourceKind> = (node: NodeOf<K>, ctx: NodeContext) => SourceConnector;
/** Builds an operator (transform or sink) from its node and context. */
export type OperatorFactory<K extends OperatorKind = OperatorKind> = (node: NodeOf<K>, ctx: OperatorContext) => Operator;

/**
 * One factory per node kind, split by the catalog's category: a source kind needs a source
 * factory, every other kind an operator factory, and a kind missing from either fails to
 * compile. The job is given this (src/registry.ts holds the real one), so core imports no
 * connector or operator.
 */
export interface NodeFactories {
  sources: { [K in SourceKind]: SourceFactory<K> };
  operators: { [K in OperatorKind]: OperatorFactory<K> };
}
