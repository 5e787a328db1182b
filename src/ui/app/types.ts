// JSON shapes of the REST API that the pages read (see GET /api/openapi.json for the full contract).

/** A registered client (GET /api/clients/{endpoint}). */
export interface RegistrationJson {
  readonly endpoint: string;
  readonly registrationId: string;
  readonly lwm2mVersion?: string;
  readonly lifetime: number;
  readonly binding: string;
  readonly queueMode: boolean;
  /** GET /api/clients pages, Queue Mode clients: asleep now. */
  readonly sleeping?: boolean;
  readonly address: string;
  readonly port: number;
  readonly rootPath?: string;
  readonly objects?: readonly {
    readonly id: number;
    readonly version?: string;
    readonly instances?: readonly number[];
  }[];
  readonly contentFormats?: readonly string[];
  readonly registeredAt: string;
  readonly lastUpdate: string;
  readonly expiresAt: string | null;
  readonly identity?: { readonly kind: string; readonly [k: string]: unknown };
  readonly additionalAttributes?: Readonly<Record<string, string>>;
}

/** A page of GET /api/clients. */
export interface ClientPage {
  readonly items: readonly RegistrationJson[];
  readonly total: number;
  readonly next?: string;
}
