import { randomUUID } from 'node:crypto';
import {
  Controller,
  HttpCode,
  Injectable,
  type MessageEvent,
  NotFoundException,
  type OnModuleDestroy,
  Param,
  Post,
  Sse,
  TooManyRequestsException,
} from 'herald';
import { BehaviorSubject, map, type Observable } from 'rxjs';
import { DemoConfig } from './demo-config.js';

/** Tasks running at once; past it `POST /tasks` answers 429 (the demo is public-facing). */
const MAX_RUNNING = 50;
/** How long a finished task is remembered (its progress route answers 204 meanwhile). */
const KEEP_FINISHED_MS = 10 * 60_000;

interface Task {
  progress: BehaviorSubject<number>;
  timer: NodeJS.Timeout;
}

/**
 * Seed 003's TaskService, made safe for a long-running server: progress is a BehaviorSubject, so a
 * client that connects late (or reconnects) starts at the current value; unknown ids are a 404, not
 * a crash; finished tasks are forgotten after a while; timers stop with the app.
 */
@Injectable()
export class TaskService implements OnModuleDestroy {
  readonly #tasks = new Map<string, Task>();

  constructor(private readonly config: DemoConfig) {}

  /** Starts a task that gains 10 % every `taskStepMs`, and returns its id. */
  startTask(): string {
    const running = [...this.#tasks.values()].filter((t) => t.progress.value < 100).length;
    if (running >= MAX_RUNNING) throw new TooManyRequestsException('Too many running tasks');
    const id = randomUUID();
    const progress = new BehaviorSubject(0);
    const timer = setInterval(() => {
      progress.next(progress.value + 10);
      if (progress.value < 100) return;
      clearInterval(timer);
      progress.complete();
      task.timer = setTimeout(() => this.#tasks.delete(id), KEEP_FINISHED_MS).unref();
    }, this.config.taskStepMs);
    const task: Task = { progress, timer };
    this.#tasks.set(id, task);
    return id;
  }

  /**
   * The task's progress events until 100, or null once it is done (the route answers 204, which
   * tells EventSource not to reconnect). Throws 404 for an unknown id.
   */
  getProgress(taskId: string): Observable<MessageEvent> | null {
    const task = this.#tasks.get(taskId);
    if (task === undefined) throw new NotFoundException(`No task ${taskId}`);
    if (task.progress.value >= 100) return null;
    return task.progress.pipe(
      map((progress) => ({ id: String(progress), data: { taskId, progress } })),
    );
  }

  onModuleDestroy(): void {
    for (const task of this.#tasks.values()) {
      clearInterval(task.timer);
      clearTimeout(task.timer);
      task.progress.complete();
    }
    this.#tasks.clear();
  }
}

/** `POST /tasks` and `/tasks/:id/progress` (seed 003). */
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TaskService) {}

  @Post()
  @HttpCode(201)
  start(): { id: string } {
    return { id: this.tasks.startTask() };
  }

  @Sse(':id/progress')
  progress(@Param('id') id: string) {
    return this.tasks.getProgress(id);
  }
}
