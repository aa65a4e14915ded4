export { translateToFlinkSql, FLINK_VERSION, type FlinkTranslation, type FlinkIssue } from './translate.js';
