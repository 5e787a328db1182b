// OMA LwM2M Core TS 1.1.1 Appendix D (DDF): why an Object definition file was rejected.
import { DecodeError } from '../transport/DecodeError.js';

/** Where a DDF file failed: the file, the object (if known) and the element path at fault. */
export interface DdfErrorLocation {
  /** Name of the file or other source of the XML text, e.g. "3303.xml". */
  readonly source: string;
  /** ObjectID of the object being read, when it was already known. */
  readonly objectId?: number;
  /** Element path at fault, e.g. "LWM2M/Object/Resources/Item[ID=5]/Type"; "" for the document. */
  readonly element: string;
  /** Character offset in the XML text. */
  readonly offset: number;
  /** 1-based line of `offset`. */
  readonly line: number;
}

/**
 * Thrown by the DDF loader for any file it cannot turn into object models: text that is not
 * XML, XML that is not a DDF, or a DDF whose values break the schema. It is a DecodeError, so
 * code that handles every decoder failure handles this one too.
 */
export class DdfError extends DecodeError {
  /** The file name given to the loader. */
  readonly source: string;
  /** ObjectID of the object at fault, when known. */
  readonly objectId: number | undefined;
  /** Element path at fault; "" for the whole document. */
  readonly element: string;
  /** 1-based line number of the fault. */
  readonly line: number;
  /** The reason alone, without location. */
  readonly reason: string;

  constructor(reason: string, at: DdfErrorLocation) {
    const object = at.objectId === undefined ? '' : ` object ${at.objectId}`;
    const element = at.element === '' ? '' : ` <${at.element}>`;
    super(`${at.source}:${at.line}${object}${element}: ${reason}`, at.offset, 'invalid');
    this.name = 'DdfError';
    this.source = at.source;
    this.objectId = at.objectId;
    this.element = at.element;
    this.line = at.line;
    this.reason = reason;
  }
}
