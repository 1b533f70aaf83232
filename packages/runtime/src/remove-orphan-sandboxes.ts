import type { Logger } from '@ngb/plugin-sdk';
import { sandboxLabels } from './docker-container-options';
import type { EngineClient } from './engine-client';
import type { ContainerSummary } from './engine-types';
import type { ProcessAliveCheck, ProcessIdentity } from './process-identity';

/** What {@link removeOrphanSandboxes} needs. */
export interface OrphanSweep {
  engine: EngineClient;
  /** This runtime's namespace: containers of it without owner labels (older versions) are removed too. */
  namespace: string;
  processAlive: ProcessAliveCheck;
  logger: Logger;
}

function ownerOf(labels: Record<string, string>): ProcessIdentity | undefined {
  const pid = Number(labels[sandboxLabels.ownerPid]);
  const host = labels[sandboxLabels.ownerHost];
  if (!Number.isSafeInteger(pid) || pid <= 0 || !host) return undefined;
  return {
    pid,
    startTime: labels[sandboxLabels.ownerStartTime] ?? '',
    bootId: labels[sandboxLabels.ownerBootId] ?? '',
    host,
  };
}

/**
 * Removes the sandbox containers, of every namespace, whose owning gateway process is gone
 * (running or exited). Containers of a live process, or of another host, are left alone. Containers
 * without owner labels (made before they existed) are removed when they are of this namespace or
 * have exited.
 * @returns how many were removed
 * @throws what `listContainers` throws (the caller maps it)
 */
export async function removeOrphanSandboxes(sweep: OrphanSweep): Promise<number> {
  const containers = await sweep.engine.listContainers({ label: [`${sandboxLabels.marker}=true`] });
  const orphans: ContainerSummary[] = [];
  await Promise.all(
    containers.map(async (container) => {
      const labels = container.Labels ?? {};
      const owner = ownerOf(labels);
      const orphaned = owner ? (await sweep.processAlive(owner)) === false : labels[sandboxLabels.namespace] === sweep.namespace;
      if (orphaned) orphans.push(container);
    }),
  );
  let removed = 0;
  await Promise.all(
    orphans.map(async (orphan) => {
      try {
        await sweep.engine.removeContainer(orphan.Id);
        removed += 1;
      } catch (error) {
        // 404: gone already; 409: another gateway is removing it now.
        const status = (error as { statusCode?: number }).statusCode;
        if (status !== 404 && status !== 409)
          sweep.logger.warn('could not remove an orphaned sandbox container', { id: orphan.Id, error });
      }
    }),
  );
  if (removed > 0) {
    const namespaces = [...new Set(orphans.map((orphan) => orphan.Labels?.[sandboxLabels.namespace] ?? ''))];
    sweep.logger.info('removed sandbox containers whose gateway process is gone', { count: removed, namespaces });
  }
  return removed;
}
