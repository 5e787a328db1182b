// OMA LwM2M Core TS 1.1.1 Appendix D: reading a DDF element tree with errors that name the file,
// the object, the element path and the line at fault.
import { DdfError } from './DdfError.js';
import { childElements, elementText, startOffset, type XmlElement } from './xmlElements.js';

/** Reports faults with the file name, object id, element path and position. */
export class DdfContext {
  /** ObjectID of the object being read, once known; named in errors. */
  objectId: number | undefined;

  constructor(
    readonly xml: string,
    readonly source: string,
  ) {}

  /** Throws a DdfError located at element `at` (or at `fallbackOffset` when `at` has no position). */
  fail(reason: string, element: string, at: unknown = undefined, fallbackOffset = 0): never {
    const offset = startOffset(at) ?? fallbackOffset;
    let line = 1;
    for (let i = 0; i < offset && i < this.xml.length; i++) if (this.xml.charCodeAt(i) === 10) line++;
    throw new DdfError(reason, { source: this.source, objectId: this.objectId, element, offset, line });
  }

  /** The text of the single child `name` of `parent`; undefined when absent and not required. */
  text(parent: XmlElement, name: string, path: string, required: boolean): string | undefined {
    const found = childElements(parent, name);
    if (found.length === 0) {
      if (required) this.fail(`missing required element <${name}>`, path, parent);
      return undefined;
    }
    if (found.length > 1) {
      this.fail(`element appears ${found.length} times, at most once allowed`, `${path}/${name}`, parent);
    }
    const text = elementText(found[0]);
    if (text === undefined) {
      this.fail('element must hold text, not other elements', `${path}/${name}`, parent);
    }
    return text;
  }

  /** Parses the required child `name` with `parse`, failing with the offending value. */
  value<T>(
    parent: XmlElement,
    name: string,
    path: string,
    parse: (s: string) => T | undefined,
    expected: string,
  ): T {
    const text = this.text(parent, name, path, true) ?? '';
    const value = parse(text);
    if (value === undefined) {
      this.fail(`invalid value "${text.trim()}", expected ${expected}`, `${path}/${name}`, parent);
    }
    return value;
  }

  /** Character offset of a 1-based line and column, clamped to the text. */
  offsetOf(line: number, col: number | undefined): number {
    let offset = 0;
    for (let l = 1; l < line; l++) {
      const next = this.xml.indexOf('\n', offset);
      if (next < 0) break;
      offset = next + 1;
    }
    return Math.min(this.xml.length, offset + Math.max(0, (col ?? 1) - 1));
  }
}
