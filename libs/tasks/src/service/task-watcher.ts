import { Observable } from 'rxjs';
import type { TaskRecord } from '../store/task-row';
import type { TaskStore } from '../store/task.store';
import { isFinal } from '../task-status';

interface Watch {
  id: string;
  last?: string;
  emit: (task: TaskRecord) => void;
  end: () => void;
}

/**
 * Live views of tasks for the event stream: one shared poll (every `intervalMs`, only while
 * someone watches) reads every watched task in one query and tells each watcher when its task
 * changed. Works whichever replica runs the task; a change and its reversal within one interval
 * may be seen as one.
 */
export class TaskWatcher {
  private readonly watches = new Set<Watch>();
  private timer?: NodeJS.Timeout;
  private polling = false;

  constructor(
    private readonly store: TaskStore,
    private readonly intervalMs = 250,
  ) {}

  /** The task now, then each change; completes after a final status (or when the watcher closes). */
  watch(initial: TaskRecord): Observable<TaskRecord> {
    return new Observable<TaskRecord>((subscriber) => {
      const watch: Watch = {
        id: initial.id,
        emit: (t) => subscriber.next(t),
        end: () => subscriber.complete(),
      };
      this.deliver(watch, initial);
      if (isFinal(initial.status)) return;
      this.watches.add(watch);
      this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
      return () => this.remove(watch);
    });
  }

  /** Ends every stream (the HTTP server would otherwise wait for SSE clients on shutdown). */
  close(): void {
    for (const watch of [...this.watches]) {
      this.remove(watch);
      watch.end();
    }
  }

  private async poll(): Promise<void> {
    if (this.polling || this.watches.size === 0) return;
    this.polling = true;
    try {
      const tasks = new Map(
        (await this.store.getMany([...new Set([...this.watches].map((w) => w.id))])).map((t) => [
          t.id,
          t,
        ]),
      );
      for (const watch of [...this.watches]) {
        const task = tasks.get(watch.id);
        if (task) this.deliver(watch, task);
      }
    } catch {
      // The next poll tries again; a stream only goes quiet meanwhile.
    } finally {
      this.polling = false;
    }
  }

  private deliver(watch: Watch, task: TaskRecord): void {
    const version = `${task.status}|${task.attempts}|${task.updatedAt.getTime()}|${task.progress?.percent}|${task.progress?.message}`;
    if (version === watch.last) return;
    watch.last = version;
    watch.emit(task);
    if (isFinal(task.status)) {
      this.remove(watch);
      watch.end();
    }
  }

  private remove(watch: Watch): void {
    this.watches.delete(watch);
    if (this.watches.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
