// LwM2M Core TS 1.1.1 section 5.4.5 (Execute, its argument list; unchanged in 1.2) and Transport
// TS 1.1.1 section 6.4 (sent as a text/plain payload). The grammar, in ABNF:
//
//   arglist  = argument *( "," argument )
//   argument = digit [ "=" "'" *argchar "'" ]
//   digit    = %x30-39                                 ; 0..9
//   argchar  = %x21 / %x23-26 / %x28-5B / %x5D-7E      ; printable ASCII but space, " ' \
//
// e.g. `0='a',1` or `2='http://x/y',5`. An empty list is no arguments at all. Both sides use this
// one parser: the client answers 4.00 to a list off the grammar, and the server refuses to build an
// Execute request carrying one, so it is never sent. The grammar says nothing about a digit given
// twice; it is accepted (the arguments are passed on in order) rather than guessed about.
import { InvalidRequestError } from './requestErrors.js';

/** One argument: its digit and, when given, its value (the text between the quotes). */
export interface ExecuteArgument {
  readonly digit: number;
  readonly value?: string;
}

const COMMA = 0x2c;
const EQUALS = 0x3d;
const QUOTE = 0x27;

/** True for the argchar range: printable ASCII except space, '"', "'" and '\'. */
function isArgChar(c: number): boolean {
  return c >= 0x21 && c <= 0x7e && c !== 0x22 && c !== QUOTE && c !== 0x5c;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Why `text` is not an argument list (with the character offset), or undefined when it is one. */
export function executeArgumentsProblem(text: string): string | undefined {
  try {
    parseExecuteArguments(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Parses an argument list; '' is an empty list. Throws InvalidRequestError (4.00) off the grammar. */
export function parseExecuteArguments(text: string): ExecuteArgument[] {
  const out: ExecuteArgument[] = [];
  if (text.length === 0) return out;
  let i = 0;
  const fail = (what: string): never => {
    const shown = i < text.length ? JSON.stringify(text[i]) : 'the end';
    throw new InvalidRequestError(`Execute arguments: ${what} at offset ${i}, found ${shown}`);
  };
  for (;;) {
    if (!isDigit(text.charCodeAt(i))) fail('expected a digit 0-9');
    const digit = text.charCodeAt(i++) - 0x30;
    if (text.charCodeAt(i) === EQUALS) {
      i++;
      if (text.charCodeAt(i) !== QUOTE) fail("expected ' to open the value");
      const start = ++i;
      while (i < text.length && isArgChar(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== QUOTE)
        fail("expected ' to close the value (or a character not allowed in it)");
      out.push({ digit, value: text.slice(start, i++) });
    } else out.push({ digit });
    if (i === text.length) return out;
    if (text.charCodeAt(i) !== COMMA) fail("expected ',' or the end");
    i++;
  }
}
