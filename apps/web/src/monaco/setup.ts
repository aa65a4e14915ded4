// Monaco, bundled locally (no CDN): the core editor API, the JSON language, and their workers.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/features/json/register';
import 'monaco-editor/languages/definitions/sql/register';
// The editor API alone has no contributions: add the ones Eddy uses (completion, hover, find, folding, clipboard).
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution';
import 'monaco-editor/editor/contrib/find/browser/findController';
import 'monaco-editor/editor/contrib/folding/browser/folding';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard';
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching';
// The JSON language loads every editor contribution lazily (with its worker manager); contributions
// that register a service after the first editor exists then throw (ICodeLensCache, treeViewsDndService):
// register them all before any editor is created.
import 'monaco-editor/internal/common/workers';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
import { loader } from '@monaco-editor/react';
import { expressionFunctions, expressionKeywords } from '@eddy/shared';

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};
loader.config({ monaco });

export const EXPR_LANGUAGE = 'eddy-expr';

/** Field names offered per editor model (an expression's completions depend on its node's input). */
export const expressionFields = new Map<string, string[]>();

monaco.languages.register({ id: EXPR_LANGUAGE });
monaco.languages.setMonarchTokensProvider(EXPR_LANGUAGE, {
  ignoreCase: true,
  keywords: expressionKeywords,
  functions: expressionFunctions.map((f) => f.name),
  tokenizer: {
    root: [
      [/'([^']|'')*'/, 'string'],
      [/`[^`]*`|"[^"]*"/, 'variable'],
      [/\d+(\.\d+)?([eE][+-]?\d+)?/, 'number'],
      [/[A-Za-z_][A-Za-z0-9_]*(?=\s*\()/, { cases: { '@functions': 'predefined', '@default': 'identifier' } }],
      [/[A-Za-z_][A-Za-z0-9_]*/, { cases: { '@keywords': 'keyword', '@default': 'variable' } }],
      [/[<>=!|+\-*/%]+/, 'operator'],
    ],
  },
} as monaco.languages.IMonarchLanguage);

monaco.languages.registerCompletionItemProvider(EXPR_LANGUAGE, {
  triggerCharacters: ['.'],
  provideCompletionItems(model, position) {
    const word = model.getWordUntilPosition(position);
    const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
    const fields = expressionFields.get(model.uri.toString()) ?? [];
    const K = monaco.languages.CompletionItemKind;
    return {
      suggestions: [
        ...fields.map((f) => ({ label: f, kind: K.Field, insertText: f, range, detail: 'field', sortText: `0${f}` })),
        ...expressionFunctions.map((f) => ({ label: f.name, kind: K.Function, insertText: `${f.name}(`, range, detail: f.signature, documentation: f.doc, sortText: `1${f.name}` })),
        ...expressionKeywords.map((k) => ({ label: k, kind: K.Keyword, insertText: k, range, sortText: `2${k}` })),
      ],
    };
  },
});

export { monaco };
