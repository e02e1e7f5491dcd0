// Transient notices (failed background requests, confirmations). UI state only: the
// Toaster component renders it in an aria-live region.
import { create } from 'zustand';

export type ToastKind = 'error' | 'success' | 'info';
export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

interface ToastState {
  toasts: Toast[];
  push: (kind: ToastKind, text: string) => void;
  dismiss: (id: number) => void;
}

let nextId = 1;
const LIFETIME_MS = 6000;
const MAX_VISIBLE = 4;

export const useToasts = create<ToastState>()((set, get) => ({
  toasts: [],
  push: (kind, text) => {
    // The same failure repeating (a poll every few seconds) should not stack up.
    if (get().toasts.some((t) => t.text === text && t.kind === kind)) return;
    const id = nextId++;
    set((s) => ({ toasts: [...s.toasts, { id, kind, text }].slice(-MAX_VISIBLE) }));
    setTimeout(() => get().dismiss(id), LIFETIME_MS);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

export const toast = {
  error: (text: string) => useToasts.getState().push('error', text),
  success: (text: string) => useToasts.getState().push('success', text),
  info: (text: string) => useToasts.getState().push('info', text),
};
