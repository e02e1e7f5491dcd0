// Live-tail UI state: paused or not, and where the paused view stopped (a feed sequence
// number), so new rows are counted instead of shifting the table under the reader.
import { create } from 'zustand';

interface TailState {
  paused: boolean;
  /** Rows with a higher sequence number arrived after the pause. */
  pausedAt: number;
  pause: (seq: number) => void;
  resume: () => void;
}

export const useTail = create<TailState>()((set) => ({
  paused: false,
  pausedAt: 0,
  pause: (seq) => set({ paused: true, pausedAt: seq }),
  resume: () => set({ paused: false, pausedAt: 0 }),
}));
