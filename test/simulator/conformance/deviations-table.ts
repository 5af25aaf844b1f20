// Renders deviations.ts as the Markdown tables of docs/simulator.md, so the doc and the validator share one source.

import { DEVIATIONS, SPEC_READINGS, type Relaxation } from './deviations.js';

export const TABLE_START = '<!-- deviations:start (generated from test/simulator/conformance/deviations.ts) -->';
export const TABLE_END = '<!-- deviations:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function describe(r: Relaxation): string {
  switch (r.kind) {
    case 'rename-property':
      return `\`${r.component}.${r.from}\` read as \`${r.to}\``;
    case 'not-required':
      return `\`${r.component}.${r.property}\` not required`;
    case 'not-required-on-document':
      return `\`${r.property}\` not required on the top-level object only`;
    case 'nullable':
      return `\`${r.component}.${r.property}\` nullable`;
    case 'enum-add':
      return `\`${r.component}.${r.property}\` also \`${r.value}\``;
    case 'array-of':
      return `\`${r.property}\` is an array of the spec's object`;
    case 'rename-header':
      return `header \`${r.from}\` read as \`${r.to}\``;
    case 'header-python-boolean':
      return `header \`${r.header}\` is \`True\`/\`False\``;
    case 'behaviour':
      return 'none; a test asserts the behaviour';
  }
}

export function renderDeviationsMarkdown(): string {
  const lines = [
    TABLE_START,
    '| Id | Endpoint | Printer | Field | Spec says | Firmware does | Source (prusalink-api.md) | Validator |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const d of DEVIATIONS) {
    const who = d.personalities.length === 2 ? 'both' : d.personalities[0] === 'buddy' ? 'Buddy' : 'Pi';
    const relax = [...new Set(d.relax.map(describe))].join('; ');
    lines.push(`| ${[d.id, d.endpoints.join('<br>'), who, d.field, d.spec, d.firmware, d.source, relax].map(cell).join(' | ')} |`);
  }
  lines.push('', 'How the suite reads the spec itself:', '');
  for (const r of SPEC_READINGS) lines.push(`- ${r.rule}: ${r.why}.`);
  lines.push(TABLE_END);
  return lines.join('\n');
}
