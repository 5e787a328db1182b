// LwM2M Core TS 1.1.1 Appendix E.6 (Firmware Update, resources 2, 5, 6, 7): what the application
// provides to check and install a firmware package. The client only moves the state machine;
// verification decides Update Result 5 (integrity) or 6 (unsupported type), installation 1 or 8.

/** What verification found: a usable package (with its name and version when known) or why not. */
export type FirmwareCheck =
  | { readonly result: 'ok'; readonly name?: string; readonly version?: string }
  | { readonly result: 'integrity' | 'unsupported' };

/** Checks and installs firmware packages; implemented by the application. */
export interface FirmwareInstaller {
  /** Checks a whole package right after it arrived (push or pull). */
  verify(pkg: Uint8Array): FirmwareCheck;
  /** Installs a verified package; a rejection means Update Result 8 (update failed). */
  install(pkg: Uint8Array): Promise<void>;
}
