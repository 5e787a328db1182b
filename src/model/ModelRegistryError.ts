// Errors of the model registry (Core TS 1.1.1 section 7.2.2: one object id, several object versions).

/** Stable codes of registry errors. */
export type ModelRegistryErrorCode = 'LWM2M_DUPLICATE_MODEL' | 'LWM2M_UNKNOWN_MODEL' | 'LWM2M_INVALID_MODEL';

/** Thrown when a model is added twice, asked for at a version the registry lacks, or malformed. */
export class ModelRegistryError extends Error {
  constructor(
    message: string,
    /** Stable machine-readable code. */
    readonly code: ModelRegistryErrorCode,
  ) {
    super(message);
    this.name = 'ModelRegistryError';
  }
}
