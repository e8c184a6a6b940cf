import { IsBoolean, IsEmail, IsOptional } from 'class-validator';
import {
  Body,
  Controller,
  EventEmitter2,
  HttpCode,
  Hub,
  Injectable,
  LastEventId,
  OnEvent,
  Post,
  Query,
  Sse,
} from 'herald';

/** The event `POST /verify` emits on the application's EventEmitter2 (seed 001). */
export const FILTER_VERIFIED = 'filter.verified';

/** The hub topic verification results are published on. */
export const VERIFIED_TOPIC = 'verified';

/** `GET /verified?email=`: which client's events to stream. */
export class SseQueryDto {
  @IsEmail()
  email!: string;
}

/** `POST /verify`'s body; `isVerified` defaults to true. */
export class VerifyDto {
  @IsEmail()
  email!: string;

  @IsOptional()
  @IsBoolean()
  isVerified?: boolean;
}

/** Seed 001's payload. */
export interface FilterVerifiedEvent {
  email: string;
  isVerified: boolean;
}

/** What a `/verified` client receives: seed 001's `{ isVerifiedFilter }`, plus the e-mail. */
export interface VerifiedData {
  email: string;
  isVerifiedFilter: boolean;
}

/** Moves seed 001's emitted events onto the hub, so a client that drops can resume. */
@Injectable()
export class VerificationRelay {
  constructor(private readonly hub: Hub) {}

  @OnEvent(FILTER_VERIFIED)
  async relay(event: FilterVerifiedEvent): Promise<void> {
    const data: VerifiedData = { email: event.email, isVerifiedFilter: event.isVerified };
    await this.hub.publish(VERIFIED_TOPIC, { data });
  }
}

/** Seed 001 through the hub: each client sees only its own e-mail's events. */
@Controller()
export class VerificationController {
  constructor(
    private readonly eventService: EventEmitter2,
    private readonly hub: Hub,
  ) {}

  @Sse('verified')
  verified(@Query() sseQuery: SseQueryDto, @LastEventId() lastEventId: string | undefined) {
    return this.hub.subscribe(VERIFIED_TOPIC, {
      lastEventId,
      filter: (event) => (event.data as VerifiedData).email === sseQuery.email,
    });
  }

  @Post('verify')
  @HttpCode(202)
  verify(@Body() body: VerifyDto): FilterVerifiedEvent {
    const event: FilterVerifiedEvent = { email: body.email, isVerified: body.isVerified ?? true };
    this.eventService.emit(FILTER_VERIFIED, event);
    return event;
  }
}
