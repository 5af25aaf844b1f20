// The one list of places where PrusaLink firmware deliberately differs from Prusa's OpenAPI spec; the validator relaxes exactly these.

export type Personality = 'buddy' | 'pi';

/** Response bodies and headers the validator knows how to check. */
export type Endpoint =
  | 'GET /api/version'
  | 'GET /api/v1/info'
  | 'GET /api/v1/status'
  | 'GET /api/v1/storage'
  | 'GET /api/v1/job'
  | 'GET /api/v1/files/{storage}'
  | 'GET /api/v1/files/{storage}/{path}'
  | 'HEAD /api/v1/files/{storage}/{path}'
  | 'PUT /api/v1/files/{storage}/{path}'
  | 'DELETE /api/v1/files/{storage}/{path}'
  | 'error body (JSON)'
  | 'authentication';

/** How the validator bends the spec for one deviation. `behaviour` changes no schema: tests assert it. */
export type Relaxation =
  | { kind: 'rename-property'; component: string; from: string; to: string }
  | { kind: 'not-required'; component: string; property: string }
  /** Not required on the response document itself, still required on nested objects of the same type. */
  | { kind: 'not-required-on-document'; property: string }
  | { kind: 'nullable'; component: string; property: string }
  | { kind: 'enum-add'; component: string; property: string; value: string }
  /** A top-level response property that the spec types as one object arrives as an array of such objects. */
  | { kind: 'array-of'; property: string }
  | { kind: 'rename-header'; from: string; to: string }
  | { kind: 'header-python-boolean'; header: string }
  | { kind: 'behaviour' };

export interface Deviation {
  id: string;
  endpoints: Endpoint[];
  personalities: Personality[];
  field: string;
  spec: string;
  firmware: string;
  /** Section of shared/docs/prusalink-api.md (and the firmware source it cites). */
  source: string;
  relax: Relaxation[];
}

const FILE_ENDPOINTS: Endpoint[] = ['GET /api/v1/files/{storage}', 'GET /api/v1/files/{storage}/{path}'];

export const DEVIATIONS: readonly Deviation[] = [
  {
    id: 'version-no-version-printer',
    endpoints: ['GET /api/version'],
    personalities: ['buddy', 'pi'],
    field: '`version`, `printer`',
    spec: 'required strings',
    firmware: 'absent; `server` carries a version instead (lwIP on Buddy, PrusaLink on Pi)',
    source: '§1 (FW basic_gets.cpp get_version; PL main.py api_version)',
    relax: [
      { kind: 'not-required', component: 'Version', property: 'version' },
      { kind: 'not-required', component: 'Version', property: 'printer' },
    ],
  },
  {
    id: 'buddy-version-no-firmware',
    endpoints: ['GET /api/version'],
    personalities: ['buddy'],
    field: '`firmware`',
    spec: 'required string',
    firmware: 'absent: Buddy exposes no firmware version',
    source: '§1 (FW basic_gets.cpp get_version, get_info)',
    relax: [{ kind: 'not-required', component: 'Version', property: 'firmware' }],
  },
  {
    id: 'buddy-ro',
    endpoints: FILE_ENDPOINTS,
    personalities: ['buddy'],
    field: '`read_only` of files and folders',
    spec: '`read_only` (boolean, required)',
    firmware: '`ro` (boolean)',
    source: '§6, §7 (FW file_info.cpp renderStateV1)',
    relax: [{ kind: 'rename-property', component: 'GenericFileInfo', from: 'read_only', to: 'ro' }],
  },
  {
    id: 'buddy-children-no-size',
    endpoints: ['GET /api/v1/files/{storage}', 'GET /api/v1/files/{storage}/{path}'],
    personalities: ['buddy'],
    field: '`children[].size`',
    spec: 'present for files',
    firmware: 'never in listings; only the single-file GET has `size`',
    source: '§6 (FW file_info.cpp, tags v4.6.1…v6.3.2)',
    relax: [{ kind: 'behaviour' }],
  },
  {
    id: 'buddy-root-no-mtimestamp',
    endpoints: ['GET /api/v1/files/{storage}'],
    personalities: ['buddy'],
    field: '`m_timestamp` of the storage root',
    spec: 'required integer',
    firmware: 'absent on the root folder (no `stat()` on the FAT root); present on children and sub-folders',
    source: '§6 (FW file_info.cpp renderStateV1)',
    relax: [{ kind: 'not-required-on-document', property: 'm_timestamp' }],
  },
  {
    id: 'pi-refs-null',
    endpoints: FILE_ENDPOINTS,
    personalities: ['pi'],
    field: '`refs.icon`, `refs.thumbnail`',
    spec: 'strings',
    firmware: '`null` when the G-code has no thumbnail',
    source: '§6 (PL web/files.py file_info)',
    relax: [
      { kind: 'nullable', component: 'PrintFileRefs', property: 'icon' },
      { kind: 'nullable', component: 'PrintFileRefs', property: 'thumbnail' },
    ],
  },
  {
    id: 'pi-folder-size',
    endpoints: FILE_ENDPOINTS,
    personalities: ['pi'],
    field: '`size` of a folder',
    spec: '"available for files only, not for folders"',
    firmware: "the sum of the children's sizes",
    source: '§6 (SDK files.py)',
    relax: [{ kind: 'behaviour' }],
  },
  {
    id: 'buddy-storage-path-slash',
    endpoints: ['GET /api/v1/storage', 'GET /api/v1/status'],
    personalities: ['buddy'],
    field: 'storage `path`',
    spec: '`"/local"` style (example)',
    firmware: '`"/usb/"` with a trailing slash',
    source: '§3 (FW basic_gets.cpp get_storage; status_renderer.cpp)',
    relax: [{ kind: 'behaviour' }],
  },
  {
    id: 'buddy-storage-no-space',
    endpoints: ['GET /api/v1/storage'],
    personalities: ['buddy'],
    field: '`free_space`, `total_space`, `print_files`',
    spec: 'described (optional)',
    firmware: 'absent',
    source: '§3 (FW basic_gets.cpp get_storage)',
    relax: [{ kind: 'behaviour' }],
  },
  {
    id: 'pi-status-storage-array',
    endpoints: ['GET /api/v1/status'],
    personalities: ['pi'],
    field: '`storage`',
    spec: 'one `StatusStorage` object',
    firmware: 'an array of both storages (Buddy sends the one object)',
    source: '§3 (PL main.py api_status; FW status_renderer.cpp)',
    relax: [{ kind: 'array-of', property: 'storage' }],
  },
  {
    id: 'buddy-status-transferred',
    endpoints: ['GET /api/v1/status'],
    personalities: ['buddy'],
    field: '`transfer.data_transferred`',
    spec: '`data_transferred` (integer)',
    firmware: '`transferred` (integer)',
    source: '§8 (FW transfer_renderer.cpp, status_renderer.cpp)',
    relax: [{ kind: 'rename-property', component: 'StatusTransfer', from: 'data_transferred', to: 'transferred' }],
  },
  {
    id: 'buddy-state-unknown',
    endpoints: ['GET /api/v1/status'],
    personalities: ['buddy'],
    field: '`printer.state`',
    spec: 'IDLE, BUSY, PRINTING, PAUSED, FINISHED, STOPPED, ERROR, ATTENTION, READY',
    firmware: 'may also be `UNKNOWN`',
    source: '§4 (FW printer_state.cpp to_str)',
    relax: [{ kind: 'enum-add', component: 'StatusPrinter', property: 'state', value: 'UNKNOWN' }],
  },
  {
    id: 'buddy-head-currently-printing',
    endpoints: ['HEAD /api/v1/files/{storage}/{path}'],
    personalities: ['buddy'],
    field: 'header `Currently-Printed`',
    spec: '`Currently-Printed: true|false`',
    firmware: '`Currently-Printing: true|false`',
    source: '§7 (FW headers.cpp write_headers)',
    relax: [{ kind: 'rename-header', from: 'Currently-Printed', to: 'Currently-Printing' }],
  },
  {
    id: 'pi-head-python-booleans',
    endpoints: ['HEAD /api/v1/files/{storage}/{path}'],
    personalities: ['pi'],
    field: 'headers `Read-Only`, `Currently-Printed`',
    spec: 'booleans (`true`/`false`)',
    firmware: '`True`/`False`',
    source: '§7 (PL web/lib/files.py make_headers)',
    relax: [
      { kind: 'header-python-boolean', header: 'Read-Only' },
      { kind: 'header-python-boolean', header: 'Currently-Printed' },
    ],
  },
  {
    id: 'pi-head-no-auth',
    endpoints: ['HEAD /api/v1/files/{storage}/{path}'],
    personalities: ['pi'],
    field: 'authentication',
    spec: 'digest auth on every endpoint',
    firmware: 'HEAD answers without credentials',
    source: '§2 (PL web/files.py head_file_info)',
    relax: [{ kind: 'behaviour' }],
  },
  {
    id: 'buddy-put-201-body',
    endpoints: ['PUT /api/v1/files/{storage}/{path}'],
    personalities: ['buddy'],
    field: '201 body',
    spec: 'no content',
    firmware: "the new file's info JSON (as a single-file GET) and `Connection: close`; Pi sends 201 with an empty body",
    source: '§8 (FW server.cpp TransferSlot::make_response; PL web/files.py file_upload)',
    relax: [{ kind: 'behaviour' }],
  },
  {
    id: 'buddy-delete-nonempty-404',
    endpoints: ['DELETE /api/v1/files/{storage}/{path}'],
    personalities: ['buddy'],
    field: 'non-empty folder, `Force`',
    spec: '`Force: ?1` deletes a non-empty folder',
    firmware: '404, whatever `Force` says (Pi: 409, and `Force: ?1` works)',
    source: '§10 (FW print_utils.cpp remove_file)',
    relax: [{ kind: 'behaviour' }],
  },
  {
    id: 'error-message-not-text',
    endpoints: ['error body (JSON)'],
    personalities: ['buddy', 'pi'],
    field: '`text`',
    spec: '`Error` requires `title` and `text`',
    firmware: '`title` and `message` (Pi adds `url`)',
    source: '§11 (FW status_page.cpp; PL conditions.py LinkError)',
    relax: [{ kind: 'rename-property', component: 'Error', from: 'text', to: 'message' }],
  },
  {
    id: 'api-key',
    endpoints: ['authentication'],
    personalities: ['buddy', 'pi'],
    field: '`X-Api-Key`',
    spec: 'digest only; a failure is 401',
    firmware: 'API key accepted too. A wrong key gives 401 with `WWW-Authenticate: ApiKey` (Buddy) or 403 `Bad X-Api-Key.` (Pi)',
    source: '§2 (FW req_parser.cpp; PL web/lib/auth.py)',
    relax: [{ kind: 'behaviour' }],
  },
  {
    id: 'pi-401-html',
    endpoints: ['authentication'],
    personalities: ['pi'],
    field: '401 body',
    spec: 'text/plain or JSON `Error`',
    firmware: 'HTML',
    source: '§11 (PW results.py unauthorized)',
    relax: [{ kind: 'behaviour' }],
  },
];

/** How the suite reads the spec itself, where reading it literally would reject every response. */
export const SPEC_READINGS: readonly { rule: string; why: string }[] = [
  {
    rule: '`oneOf` means: some branch matches, and the branch the object names must match (`type` FILE, PRINT_FILE, FIRMWARE or FOLDER; a job with `file` is a `JobFilePrint`)',
    why: 'the branches overlap (a print file without `meta` is both `FileInfo` and `PrintFileInfo`; `JobSerialPrint` has no required field), so a strict `oneOf` rejects every valid object and a plain `anyOf` would let a folder skip the checks on its children',
  },
  { rule: '`nullable: true` allows `null`', why: 'OpenAPI 3.0 keyword; JSON Schema spells it as a type list' },
  { rule: '`example` is ignored', why: 'documentation only' },
  {
    rule: 'extra properties are allowed',
    why: 'the spec sets no `additionalProperties: false`; firmware adds fields such as `server`, `hostname`, `display_name`',
  },
];

export function deviationsFor(endpoint: Endpoint, personality: Personality): Deviation[] {
  return DEVIATIONS.filter((d) => d.endpoints.includes(endpoint) && d.personalities.includes(personality));
}
