// parseConfigText: config text of either format to a FarmConfig, synchronously (for the library and
// tests). The CLI goes through loadConfig, which loads the YAML parser only for YAML files.

import { readYamlEntries } from './document.js';
import { checkConfigEntries, configBody, isJsonPath, readJson, type ConfigSourceOptions, type Env } from './check.js';
import type { FarmConfig } from './types.js';

/** Parses and validates config text; `path` picks the format (.json → JSON, else YAML). Pure. */
export function parseConfigText(text: string, path: string, env: Env, options: ConfigSourceOptions = {}): FarmConfig {
  const { body, empty } = configBody(text);
  const read = empty ?? (isJsonPath(path) ? readJson(body) : readYamlEntries(body));
  return checkConfigEntries(read, path, env, options);
}
