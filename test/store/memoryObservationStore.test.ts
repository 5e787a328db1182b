import { MemoryObservationStore } from '../../src/store/memory/MemoryObservationStore.js';
import { observationStoreContract } from './observationStoreContract.js';

observationStoreContract('memory', () => new MemoryObservationStore());
