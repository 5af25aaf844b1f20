// The shape of printers.yml as a zod schema: the single source of schema/printers.schema.json, which
// the loader checks entries against (entry-check.ts). Build and test time only: zod is not loaded on a run.

import * as z from 'zod';
import { acceptedModelNames } from './models.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const secret = (what: string) =>
  z
    .string()
    .min(1)
    .meta({ description: `${what}, in clear. Prefer ${what.toLowerCase().replace(/ /g, '_')}_env.` });

const envName = (what: string, example: string) =>
  z
    .string()
    .regex(ENV_NAME)
    .meta({ description: `Name of an environment variable holding the ${what}.`, examples: [example] });

const patterns = (what: string, examples: string[]) =>
  z.array(z.string().min(1)).meta({
    description: `${what} Globs matched case-insensitively against paths in the source folder: * and ? within a name, ** across folders, {a,b}, [abc]. A pattern without "/" matches a file name at any depth; a trailing "/" names a folder.`,
    examples: [examples],
  });

/** Keys that say what a printer gets and where: the same in a printer entry and in `defaults`. */
const routingKeys = {
  destination: z
    .string()
    .min(1)
    .meta({
      description:
        'Folder on this printer to mirror into, as -d takes it: "farm", "/usb/farm", "/local/farm". A -d given on the command line wins.',
      examples: ['/usb/farm', 'farm/mk4'],
    }),
  source: z
    .string()
    .min(1)
    .meta({
      description:
        'Folder this printer mirrors instead of the whole source (-s): a relative path is a sub-folder of -s, an absolute one (or ~/...) any folder. Its contents go to the destination root.',
      examples: ['mk4', '/srv/prints/xl'],
    }),
  include: patterns('Only files matching one of these are sent to this printer.', ['*.bgcode', 'mk4/**']),
  exclude: patterns(
    'Files matching any of these are not sent to this printer (and are deleted from it, as files gone from the source are).',
    ['old/', '*_draft.gcode'],
  ),
  groups: z.array(z.string().min(1)).meta({
    description: 'Group names this printer belongs to; -p and -x accept a group name for all its printers.',
    examples: [['bay1', 'mk4s']],
  }),
  match_model: z.boolean().meta({
    description:
      'Send this printer only files sliced for its model (and files that name no model). Also on for every printer with --match-model.',
  }),
};

const CREDENTIAL_RULES = {
  // The same credential rules as rules.ts, spelt for editors (zod's own output cannot say them).
  oneOf: [{ required: ['password'] }, { required: ['password_env'] }, { required: ['api_key'] }, { required: ['api_key_env'] }],
  dependentRequired: { password: ['username'], password_env: ['username'] },
};

/** One printer's settings, complete (as validated once `defaults` are merged in). Cross-field rules live in rules.ts. */
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
    ...routingKeys,
  })
  .partial({
    username: true,
    password: true,
    password_env: true,
    api_key: true,
    api_key_env: true,
    destination: true,
    source: true,
    include: true,
    exclude: true,
    groups: true,
    match_model: true,
  })
  .meta({
    description: 'One printer. Give username with password (or password_env), or api_key (or api_key_env).',
    ...CREDENTIAL_RULES,
  });

export type PrinterEntry = z.infer<typeof printerEntrySchema>;

/** Keys a printer entry may have, in the order the docs list them. */
export const PRINTER_KEYS: readonly string[] = Object.keys(printerEntrySchema.shape);

/** The reserved top-level name whose settings apply to every printer (defaults.ts has the same). */
export const DEFAULTS_NAME = 'defaults';

/** `defaults`: any printer key but host, all optional; a printer's own value wins. */
export const defaultsSchema = printerEntrySchema.omit({ host: true }).partial().meta({
  description: 'Settings every printer takes unless it sets them itself (a list replaces the default list). Any printer key but host.',
});

/** A printer entry when `defaults` may supply everything but its host. */
const printerWithDefaultsSchema = printerEntrySchema
  .partial()
  .required({ host: true })
  .meta({ description: 'One printer; keys it does not set come from defaults.' });

/** The whole file: `defaults` (optional) and printer name → settings. */
export const configFileSchema = z
  .object({
    [DEFAULTS_NAME]: defaultsSchema.optional(),
    state_dir: z.string().min(1).optional().meta({
      description:
        "Folder of the sync records (--state-dir wins over it): ~/ is the home folder, a relative path is taken from this file's folder.",
    }),
  })
  .catchall(printerWithDefaultsSchema)
  .meta({
    title: 'link-sync printers',
    description: 'Printers link-sync mirrors files to, by name (matched case-insensitively), and "defaults" for all of them.',
  });

/** JSON Schema of the config file, for editors (written to schema/printers.schema.json). */
export function configJsonSchema(): Record<string, unknown> {
  const file = z.toJSONSchema(configFileSchema) as Record<string, unknown>;
  const { $schema: _ignored, ...complete } = z.toJSONSchema(printerEntrySchema) as Record<string, unknown>;
  // Without defaults each printer must be complete on its own; JSON Schema says so with if/else.
  return { ...file, propertyNames: { minLength: 1 }, if: { required: [DEFAULTS_NAME] }, else: { additionalProperties: complete } };
}
