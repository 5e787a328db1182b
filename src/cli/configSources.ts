// Settings of the long-running commands from three more places than the command line (issue 12
// item 14): environment variables (PREFIX + the option in SCREAMING_SNAKE_CASE, e.g.
// LWM2M_HTTP_PORT for --http-port), a JSON settings file (keys are the options in camelCase,
// e.g. "httpPort"), and the defaults. Precedence: command line > environment > file > default.
// Every option of the commander Command is covered, whoever adds it: the table is the Command.
// Values from the file and the environment go through the option's own parser, so a bad one is
// refused with the same rule as on the command line, naming the key or variable.
import { readFileSync } from 'node:fs';
import type { Command, Option } from 'commander';

/** A bad settings file, key or environment variable; the CLI exits with code 2. */
export class ConfigError extends Error {
  readonly code = 'LWM2M_CONFIG';
}

/** Where the settings come from besides the command line. */
export interface ConfigSourcesOptions {
  /** Environment variables (usually process.env). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Prefix of the variables, e.g. "LWM2M_". */
  readonly envPrefix: string;
  /** Attribute name of the option naming the settings file, e.g. "config" for --config. */
  readonly fileOption: string;
}

/** "httpPort" → "HTTP_PORT". */
export const envName = (attribute: string): string =>
  attribute.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

const SKIPPED = new Set(['help', 'version']);

/** The options a settings file or variable may set: all but help, version and the file option itself. */
function settable(cmd: Command, fileOption: string): Option[] {
  return cmd.options.filter((o) => !SKIPPED.has(o.attributeName()) && o.attributeName() !== fileOption);
}

function booleanOf(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${where} must be true or false`);
}

/** The value of `option` from `raw` (file JSON or variable text), through the option's parser. */
function convert(option: Option, raw: unknown, where: string): unknown {
  // a negated flag (--no-coaps) sets its attribute ("coaps") to true or false as well
  if (option.isBoolean() || option.negate) return booleanOf(raw, where);
  // A repeatable option (e.g. --http-host a --http-host b) takes a JSON array in the file: each
  // item goes through the option's parser as one more occurrence would.
  if (Array.isArray(raw)) {
    let acc: unknown = undefined;
    raw.forEach((item, i) => (acc = convertOne(option, item, `${where}[${i}]`, acc)));
    return acc;
  }
  return convertOne(option, raw, where, undefined);
}

function convertOne(option: Option, raw: unknown, where: string, previous: unknown): unknown {
  if (typeof raw === 'number' && Number.isFinite(raw)) raw = String(raw);
  if (typeof raw !== 'string') throw new ConfigError(`${where} must be a string or a number`);
  if (!option.parseArg) return raw;
  try {
    return option.parseArg(raw, previous);
  } catch (e) {
    throw new ConfigError(`${where}: ${(e as Error).message}`);
  }
}

/** Reads the settings file: a JSON object whose keys all name options of `cmd`. */
function readSettingsFile(path: string, options: readonly Option[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read settings file ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`settings file ${path} is not JSON: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ConfigError(`settings file ${path} must hold a JSON object`);
  const known = new Set(options.map((o) => o.attributeName()));
  for (const key of Object.keys(json))
    if (!known.has(key))
      throw new ConfigError(`settings file ${path}: unknown key "${key}" (known: ${[...known].join(', ')})`);
  return json as Record<string, unknown>;
}

/**
 * Completes the options of `cmd` (already parsed from the command line) from the environment and
 * the settings file, keeping command-line values. Throws ConfigError.
 */
export function applyConfigSources(cmd: Command, o: ConfigSourcesOptions): void {
  const options = settable(cmd, o.fileOption);
  const fileVar = o.envPrefix + envName(o.fileOption);
  let path = cmd.getOptionValue(o.fileOption) as string | undefined;
  if (cmd.getOptionValueSource(o.fileOption) !== 'cli' && o.env[fileVar] !== undefined) {
    path = o.env[fileVar];
    cmd.setOptionValueWithSource(o.fileOption, path, 'env');
  }
  const file = path === undefined ? {} : readSettingsFile(path, options);
  for (const option of options) {
    const key = option.attributeName();
    if (cmd.getOptionValueSource(key) === 'cli') continue;
    const variable = o.envPrefix + envName(key);
    const fromEnv = o.env[variable];
    if (fromEnv !== undefined) {
      cmd.setOptionValueWithSource(key, convert(option, fromEnv, `environment variable ${variable}`), 'env');
    } else if (key in file) {
      cmd.setOptionValueWithSource(
        key,
        convert(option, file[key], `settings file ${path}: key "${key}"`),
        'config',
      );
    }
  }
}
