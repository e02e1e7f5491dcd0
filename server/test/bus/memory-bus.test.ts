// The bus contract against the in-process implementation (always runs).
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { busContract, CONTRACT_MAX_LEN } from './bus-contract.ts';

busContract('memory', async () => createMemoryBus({ maxLen: CONTRACT_MAX_LEN }), false);
