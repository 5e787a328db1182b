import { MemoryCompositeSetStore } from '../../src/store/memory/MemoryCompositeSetStore.js';
import { compositeSetStoreContract } from './compositeSetStoreContract.js';

compositeSetStoreContract('memory', () => new MemoryCompositeSetStore());
