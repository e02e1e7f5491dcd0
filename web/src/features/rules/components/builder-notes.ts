// The server's warnings of the last save, by condition node id: notes a predicate row
// shows under itself (non-blocking), handed down the builder without threading props.
import { createContext, useContext } from 'react';

export const BuilderNotes = createContext<ReadonlyMap<string, string>>(new Map());

export const useBuilderNote = (nodeId: string): string | undefined => useContext(BuilderNotes).get(nodeId);
