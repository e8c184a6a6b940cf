/**
 * Seed 003 ("NestJS High Performance: Server-Sent Events") in a NestJS 12 app, as written there but
 * for one import: `Sse` comes from `herald/nest`. The services and task routes are the Herald
 * seed's fill-ins (see `../seed-003-progress-and-notifications.ts`).
 */
import { Controller, Injectable, MessageEvent, Module, Param, Post } from '@nestjs/common';
import { HeraldModule, Sse } from 'herald/nest';
import { interval, Observable, Subject } from 'rxjs';
import { map, take } from 'rxjs/operators';
import { bootstrapSeed } from './bootstrap.js';

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

@Module({
  imports: [HeraldModule.forRoot()],
  controllers: [EventsController],
  providers: [NotificationService, TaskService],
})
export class AppModule {}

export const bootstrap = (platform?: 'express' | 'fastify', port?: number) =>
  bootstrapSeed(AppModule, platform, port);
