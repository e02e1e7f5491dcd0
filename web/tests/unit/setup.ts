// Component-test setup: unmount between tests and start each with empty storage.
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { useSession } from '../../src/lib/session.ts';

beforeEach(() => {
  localStorage.clear();
  useSession.setState({ token: null, user: null, ended: null });
});
afterEach(() => cleanup());
