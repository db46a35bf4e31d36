import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { StaffDirectoryEntry, StaffDirectoryList } from '../api/types.js';
import { actorLabel } from '../ui/format.js';

type DirectoryEntry = StaffDirectoryEntry;

const DirectoryContext = createContext<ReadonlyMap<string, DirectoryEntry>>(new Map());

/**
 * The staff directory, loaded once per signed-in page: who each `staff:<id>` in a history is. A
 * page that cannot load it still works and shows ids.
 */
export const StaffDirectoryProvider = ({ children }: { children: ReactNode }) => {
  const [directory, setDirectory] = useState<ReadonlyMap<string, DirectoryEntry>>(new Map());
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<StaffDirectoryList>('/api/staff/directory', { signal: controller.signal })
      .then((answer) => setDirectory(new Map(answer.staff.map((entry) => [entry.id, entry]))))
      .catch(() => {});
    return () => controller.abort();
  }, []);
  return <DirectoryContext.Provider value={directory}>{children}</DirectoryContext.Provider>;
};

/** `staff:01J…` as the member's name (the id on hover); any other actor as recorded, made readable. */
export const ActorName = ({ actor }: { actor: string }) => {
  const directory = useContext(DirectoryContext);
  const staffId = /^staff:(.+)$/.exec(actor)?.[1];
  const entry = staffId ? directory.get(staffId) : undefined;
  if (!staffId || !entry) return <span className="actor">{actorLabel(actor)}</span>;
  return (
    <span className="actor" title={actor} data-actor={actor}>
      {entry.displayName}
      {entry.active ? null : <span className="muted"> (disabled)</span>}
    </span>
  );
};
