/**
 * Seed 003 ("NestJS High Performance: Server-Sent Events"): a count-and-timestamp stream, custom
 * event types for notifications (with ids and a 30 s retry), and task progress from a
 * `TaskService`. `sendEvents`, `sendNotifications` and `TaskService` are as written there; only
 * the import moved from `@nestjs/common` to `herald`; formatting is Biome's.
 *
 * Filled in where the lesson elides: `Controller` in the import (the lesson uses it without
 * importing it), `sendNotifications` placed in the same controller, a `NotificationService` whose
 * `getStream()` emits a message, an alert and an update; the routes that start a task and stream
 * its progress (`POST /tasks`, `GET /tasks/:id/progress`); the module and bootstrap.
 */
import {
  Controller,
  HeraldFactory,
  type HeraldApplication,
  Injectable,
  MessageEvent,
  Module,
  Param,
  Post,
  Sse,
} from 'herald';
import { interval, Observable, Subject } from 'rxjs';
import { map, take } from 'rxjs/operators';

/** One notification, as the lesson's `sendNotifications` reads it. */
export interface Notification {
  id: string;
  type: 'message' | 'alert' | 'update';
  message: string;
}

/** The lesson's `notificationService` (not shown there): a message, an alert and an update. */
@Injectable()
export class NotificationService {
  getStream(): Observable<Notification> {
    const types = ['message', 'alert', 'update'] as const;
    return interval(100).pipe(
      take(types.length),
      map((n) => ({ id: String(n + 1), type: types[n]!, message: `notification ${n + 1}` })),
    );
  }
}

/** The lesson's `TaskService`, as written there. */
@Injectable()
export class TaskService {
  private progressSubjects = new Map<string, Subject<number>>();

  startTask(taskId: string): void {
    const subject = new Subject<number>();
    this.progressSubjects.set(taskId, subject);

    // Simulate progress
    let progress = 0;
    const interval = setInterval(() => {
      progress += 10;
      subject.next(progress);
      if (progress >= 100) {
        clearInterval(interval);
        subject.complete();
      }
    }, 1000);
  }

  getProgress(taskId: string): Observable<MessageEvent> {
    const subject = this.progressSubjects.get(taskId);
    return subject.pipe(map((progress) => ({ data: { taskId, progress } })));
  }
}

/** The lesson's controller, with the notification stream and the task routes beside it. */
@Controller()
export class EventsController {
  constructor(
    private readonly notificationService: NotificationService,
    private readonly taskService: TaskService,
  ) {}

  @Sse('events')
  sendEvents(): Observable<MessageEvent> {
    return interval(1000).pipe(
      map((num) => ({
        data: { count: num, timestamp: new Date().toISOString() },
      })),
    );
  }

  @Sse('notifications')
  sendNotifications(): Observable<MessageEvent> {
    return this.notificationService.getStream().pipe(
      map((notification) => ({
        data: notification,
        type: notification.type, // 'message', 'alert', 'update'
        id: notification.id,
        retry: 30000, // Reconnect after 30s on disconnect
      })),
    );
  }

  @Post('tasks')
  startTask(): { id: string } {
    const id = crypto.randomUUID();
    this.taskService.startTask(id);
    return { id };
  }

  // As the lesson writes `getProgress`, an unknown id fails inside it (500, logged); the demo
  // answers 404 for it instead.
  @Sse('tasks/:id/progress')
  progress(@Param('id') id: string): Observable<MessageEvent> {
    return this.taskService.getProgress(id);
  }
}

/** The seed's application module. */
@Module({ controllers: [EventsController], providers: [NotificationService, TaskService] })
export class AppModule {}

/** Starts the seed on `port` (0 picks a free one) and returns the listening app. */
export async function bootstrap(port = 0, host = '127.0.0.1'): Promise<HeraldApplication> {
  const app = await HeraldFactory.create(AppModule, { logger: false });
  await app.listen(port, host);
  return app;
}
