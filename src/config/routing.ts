// Checks a printer's routing keys (destination, source, include/exclude, groups, match_model) and
// turns them into PrinterConfig fields. Wrongly typed values are the schema's to report; these
// checks look at what the values say.

import { destinationProblem, parseDestination } from './destination.js';
import { compileGlob } from '../source/glob.js';
import type { PrinterConfig } from './types.js';

export type RoutingFields = Pick<PrinterConfig, 'destination' | 'source' | 'include' | 'exclude' | 'groups' | 'matchModel'>;

export interface RoutingOutcome {
  fields: RoutingFields;
  /** Key → message; the caller adds the printer name and line. */
  problems: Array<{ key: string; message: string; hint: string }>;
}

export function routingFields(value: Record<string, unknown>): RoutingOutcome {
  const fields: RoutingFields = {};
  const problems: RoutingOutcome['problems'] = [];

  const destination = value['destination'];
  // '' is the schema's to report. Blanks are refused too, as by -d: never the storage root by mistake.
  if (typeof destination === 'string' && destination !== '') {
    const wrong = destinationProblem(destination, '');
    if (destination.trim() === '') {
      problems.push({
        key: 'destination',
        message: `destination ${JSON.stringify(destination)} is blank`,
        hint: 'give / for the storage root, or remove the line',
      });
    } else if (wrong) {
      problems.push({ key: 'destination', message: `destination ${JSON.stringify(destination)}: ${wrong.problem}`, hint: wrong.hint });
    } else {
      fields.destination = parseDestination(destination);
    }
  }

  const source = value['source'];
  if (typeof source === 'string') {
    if (source.trim() === '')
      problems.push({ key: 'source', message: 'source is empty', hint: 'give a sub-folder of the source, or remove the line' });
    else fields.source = source.trim();
  }

  for (const key of ['include', 'exclude'] as const) {
    const list = value[key];
    if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) continue;
    const patterns = list as string[];
    for (const pattern of patterns) {
      const compiled = compileGlob(pattern);
      if (!compiled.ok) {
        problems.push({
          key,
          message: `${key} pattern ${JSON.stringify(pattern)} ${compiled.message}`,
          hint: 'use *, **, ?, {a,b} and [abc], folders separated by /',
        });
      }
    }
    fields[key] = patterns.map((p) => p.trim());
  }

  const groups = value['groups'];
  if (Array.isArray(groups) && groups.every((g) => typeof g === 'string')) {
    const names = (groups as string[]).map((g) => g.trim());
    if (names.some((g) => g === ''))
      problems.push({ key: 'groups', message: 'a group name is empty', hint: 'give each group a name, e.g. groups: [bay1]' });
    fields.groups = [...new Set(names.filter((g) => g !== ''))];
  }

  const matchModel = value['match_model'];
  if (typeof matchModel === 'boolean') fields.matchModel = matchModel;

  return { fields, problems };
}
