// The shape of printers.yml as a zod schema: the single source for validation and the JSON Schema.

import * as z from 'zod';
import { acceptedModelNames } from './models.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const secret = (what: string) =>
  z.string().min(1).meta({ description: `${what}, in clear. Prefer ${what.toLowerCase().replace(/ /g, '_')}_env.` });

const envName = (what: string, example: string) =>
  z
    .string()
    .regex(ENV_NAME)
    .meta({ description: `Name of an environment variable holding the ${what}.`, examples: [example] });

/** One printer's settings, as written in the file. Cross-field rules live in rules.ts. */
export const printerEntrySchema = z
  .strictObject({
    printer_type: z
      .string()
      .min(1)
      .meta({
        description: `Printer model, case-insensitive. One of: ${acceptedModelNames().join(', ')} (and spellings such as "Original Prusa MK4" or "MK4IS").`,
        examples: ['MK4S', 'XL', 'MK3S+'],
      }),
    host: z
      .string()
      .min(1)
      .meta({
        description: 'Printer address: http(s)://host[:port], a bare host name or IP, host:port, or [IPv6]. No path, query or credentials.',
        examples: ['http://192.168.0.10', 'mk4-bay3.local', '192.168.0.11:8080'],
      }),
    username: z.string().min(1).meta({ description: 'PrusaLink user name (usually "maker"), used with password.' }),
    password: secret('Password'),
    password_env: envName('password', 'FARM_PASSWORD'),
    api_key: secret('API key'),
    api_key_env: envName('API key', 'FARM_API_KEY'),
  })
  .partial({ username: true, password: true, password_env: true, api_key: true, api_key_env: true })
  .meta({
    description: 'One printer. Give username with password (or password_env), or api_key (or api_key_env).',
    // The same credential rules as rules.ts, spelt for editors (zod's own output cannot say them).
    oneOf: [{ required: ['password'] }, { required: ['password_env'] }, { required: ['api_key'] }, { required: ['api_key_env'] }],
    dependentRequired: { password: ['username'], password_env: ['username'] },
  });

export type PrinterEntry = z.infer<typeof printerEntrySchema>;

/** Keys a printer entry may have, in the order the docs list them. */
export const PRINTER_KEYS: readonly string[] = Object.keys(printerEntrySchema.shape);

/** The whole file: printer name → settings. */
export const configFileSchema = z.record(z.string().min(1), printerEntrySchema).meta({
  title: 'link-sync printers',
  description: 'Printers link-sync mirrors files to, by name. Names are matched case-insensitively.',
});

/** JSON Schema of the config file, for editors (written to schema/printers.schema.json). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configFileSchema) as Record<string, unknown>;
}
