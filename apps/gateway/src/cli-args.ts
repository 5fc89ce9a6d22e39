import { parseArgs, type ParseArgsConfig } from "node:util";
import { usageError } from "./cli-error.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * node:util parseArgs in strict mode, its errors turned into one-line usage errors
 * (exit 2). Returns the flag values and the positionals.
 */
export function parseCommandArgs(command: string, argv: string[], options: Options, maxPositionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (err) {
    // parseArgs messages are already one line and name the flag, e.g. "Unknown option '--x'".
    const text = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw usageError(`${command}: ${text.replace(/\. To specify a positional.*$/, "")}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw usageError(`${command}: unexpected argument '${parsed.positionals[maxPositionals]}'`);
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

/** A numeric flag value, checked: one-line usage error naming the flag when it is not a number in range. */
export function numberFlag(
  command: string,
  flag: string,
  raw: string | boolean | undefined,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean; allowInfinity?: boolean } = {},
): number {
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  const value = range.allowInfinity && /^(inf|infinity|max)$/i.test(text) ? Infinity : Number(text);
  const bad =
    text === "" ||
    Number.isNaN(value) ||
    (!Number.isFinite(value) && !range.allowInfinity) ||
    (range.integer && Number.isFinite(value) && !Number.isInteger(value)) ||
    (range.min !== undefined && value < range.min) ||
    (range.max !== undefined && value > range.max);
  if (bad) {
    const bounds = [
      range.integer ? "an integer" : "a number",
      range.min !== undefined ? `>= ${range.min}` : "",
      range.max !== undefined ? `<= ${range.max}` : "",
    ]
      .filter(Boolean)
      .join(" ");
    throw usageError(`${command}: --${flag} must be ${bounds}, got '${text}'`);
  }
  return value;
}

/** A string flag restricted to a list of choices. */
export function choiceFlag<T extends string>(
  command: string,
  flag: string,
  raw: string | boolean | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (raw === undefined) return fallback;
  const text = String(raw);
  if (!(choices as readonly string[]).includes(text)) {
    throw usageError(`${command}: --${flag} must be one of ${choices.join(", ")}; got '${text}'`);
  }
  return text as T;
}
