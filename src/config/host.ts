// Turns the `host` a user writes (URL, bare name, name:port, [IPv6]) into a base URL, or says why not.

export type HostResult = { ok: true; baseUrl: string } | { ok: false; message: string; hint: string };

const EXAMPLE_HINT = 'use http://192.168.0.10 or a bare host name';
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * Normalises a printer address to `scheme://host[:port]` (lower case, no trailing slash, default
 * port dropped). Messages quote the input only when it holds no credentials.
 */
export function normaliseHost(input: string): HostResult {
  const text = input.trim();
  if (text === '') return fail('host is empty', EXAMPLE_HINT);
  // Anything before an '@' may be a password: never repeat such an input.
  const shown = text.includes('@') ? 'host' : `host "${text}"`;
  if (text.includes('@')) {
    return fail(`${shown} must not contain a user name or password`, 'put them in username and password, or use api_key');
  }
  if (/\s/.test(text)) return fail(`${shown} contains a space`, EXAMPLE_HINT);
  if (text.includes('\\')) return fail(`${shown} contains a backslash`, EXAMPLE_HINT);

  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    return fail(`${shown} is not a valid URL: scheme "${scheme}" is not http or https`, EXAMPLE_HINT);
  }
  if (scheme === undefined && /^[a-z][a-z0-9+.-]*:\/[^/]/i.test(text)) {
    return fail(`${shown} is not a valid URL`, EXAMPLE_HINT);
  }
  if (scheme === undefined && isBareIpv6(text)) {
    return fail(`${shown} is an IPv6 address without brackets`, `write it as http://[${text}] or [${text}]`);
  }

  const port = /:(\d+)\/?$/.exec(text)?.[1];
  if (port !== undefined && !text.endsWith(']') && (Number(port) < 1 || Number(port) > 65535)) {
    return fail(`${shown} has port ${port}`, 'use a port from 1 to 65535, or none for the default');
  }

  let url: URL;
  try {
    url = new URL(scheme === undefined ? `http://${text}` : text);
  } catch {
    return fail(`${shown} is not a valid URL`, EXAMPLE_HINT);
  }
  if (url.hostname === '') return fail(`${shown} has no host name`, EXAMPLE_HINT);
  if (url.pathname !== '/' && url.pathname !== '') {
    return fail(`${shown} must not contain a path (${url.pathname})`, 'give only the printer address; link-sync adds /api/... itself');
  }
  // URL drops a lone '?' or '#', so look at the text as well.
  if (url.search !== '' || text.includes('?')) return fail(`${shown} must not contain a query (?...)`, EXAMPLE_HINT);
  if (url.hash !== '' || text.includes('#')) return fail(`${shown} must not contain a fragment (#...)`, EXAMPLE_HINT);
  return { ok: true, baseUrl: `${url.protocol}//${url.host}` };
}

/** `fe80::1` or `::1`: colons that cannot be a single host:port separator. */
function isBareIpv6(text: string): boolean {
  return !text.startsWith('[') && (text.match(/:/g)?.length ?? 0) >= 2;
}

function fail(message: string, hint: string): HostResult {
  return { ok: false, message, hint };
}
