import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/platform/paths.js';

/**
 * US patients and staff read US English, UK ones UK English. Every text a person reads (string
 * literals and JSX text, not identifiers or comments) in each flow's pages, e-mails and texts is
 * checked against a short list of words spelled differently on either side of the Atlantic.
 */
const PAIRS: readonly (readonly [uk: string, us: string])[] = [
  ['authorisation', 'authorization'],
  ['authorise', 'authorize'],
  ['authorised', 'authorized'],
  ['organise', 'organize'],
  ['organisation', 'organization'],
  ['colour', 'color'],
  ['centre', 'center'],
  ['behaviour', 'behavior'],
  ['favour', 'favor'],
  ['recognise', 'recognize'],
  ['prioritise', 'prioritize'],
  ['analyse', 'analyze'],
  ['enrolment', 'enrollment'],
  ['enrol', 'enroll'],
  ['licence', 'license'],
];

const US_FILES = [
  'src/domain/prescription/consent.ts',
  'src/processes/prescription',
  'src/domain/routing',
  'web/src/patient',
  'web/src/orders',
  'web/src/console',
];
const UK_FILES = [
  'src/processes/consultation',
  'src/integrations/documents/pdf/gpLetter.ts',
  'web/src/consultation',
];

const sourcesUnder = (path: string): string[] => {
  const full = join(projectRoot, path);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full).flatMap((name) => sourcesUnder(join(path, name)));
};

/** What a reader sees of a source file: its strings, template parts and JSX text. */
const textsOf = (file: string): string[] => {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const texts: string[] = [];
  const visit = (node: ts.Node) => {
    // Import paths and object keys are code, not copy.
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node) ||
      ts.isJsxText(node)
    )
      texts.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
};

const misspellings = (paths: readonly string[], side: 'us' | 'uk') => {
  const wrong = PAIRS.map(([uk, us]) => (side === 'us' ? uk : us));
  const found: string[] = [];
  for (const file of paths.flatMap(sourcesUnder).filter((f) => /\.tsx?$/.test(f)))
    for (const text of textsOf(file))
      for (const word of wrong)
        if (new RegExp(`\\b${word}\\b`, 'i').test(text))
          found.push(
            `${relative(projectRoot, file)}: "${word}" in ${JSON.stringify(text.trim().slice(0, 80))}`,
          );
  return found;
};

describe('spelling by flow', () => {
  it('US pages, e-mails and texts use US spellings', () => {
    expect(misspellings(US_FILES, 'us')).toEqual([]);
  });

  it('UK pages, e-mails and texts use UK spellings', () => {
    expect(misspellings(UK_FILES, 'uk')).toEqual([]);
  });
});
