// What the components call: each action joins the API and the stores (components → actions → api, state).
export * from './pipelines';
export * from './run';
export * from './files';
export { watchEdge, watchPipeline, watchRows } from './live';
