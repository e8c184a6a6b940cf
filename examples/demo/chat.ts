import { IsString, Length } from 'class-validator';
import {
  Body,
  Controller,
  Delete,
  Injectable,
  LastEventId,
  type MessageEvent,
  Param,
  Runs,
  Sse,
} from 'herald';
import { DemoConfig } from './demo-config.js';

/** How long an answer can be resumed or followed after it ends. */
const ANSWER_TTL_MS = 10 * 60_000;

/** `POST /chat/:id`'s body. */
export class PromptDto {
  @IsString()
  @Length(1, 500)
  prompt!: string;
}

/** The simulated model's answer to `prompt`, word by word (the same every time, for tests). */
export function answerFor(prompt: string): string[] {
  const topic = prompt.trim().split(/\s+/).slice(0, 6).join(' ');
  return [
    `You asked: "${topic}".`,
    'A real model would think hard about it; this one streams a fixed answer at a reading pace,',
    'one word per event, so that you can reload the page halfway through and watch the answer',
    'carry on exactly where it was, with no word repeated and none missing.',
    'Open the follow link in another tab to read the same answer there,',
    'or press cancel to stop the model wherever it runs.',
  ]
    .join(' ')
    .split(' ');
}

/** A stand-in for an LLM client: yields the answer's words at `wordMs`, stops on `signal`. */
@Injectable()
export class SimulatedModel {
  constructor(private readonly config: DemoConfig) {}

  async *stream(prompt: string, signal: AbortSignal): AsyncGenerator<MessageEvent> {
    for (const [i, word] of answerFor(prompt).entries()) {
      await new Promise((resolve) => setTimeout(resolve, this.config.wordMs));
      if (signal.aborted) return;
      yield { type: 'token', data: { i, word } };
    }
  }
}

/**
 * The chat panel's routes, as issue 15 sketches them: `POST /chat/:id` starts an answer and
 * streams it, `GET /chat/:id` follows or resumes it (any tab, any process), `DELETE` cancels it.
 */
@Controller('chat')
export class ChatController {
  constructor(
    private readonly runs: Runs,
    private readonly model: SimulatedModel,
  ) {}

  @Sse(':id', { method: 'POST' })
  async start(@Param('id') id: string, @Body() body: PromptDto) {
    await this.runs.start(id, (signal) => this.model.stream(body.prompt, signal), {
      ttlMs: ANSWER_TTL_MS,
    });
    return this.runs.subscribe(id);
  }

  @Sse(':id')
  follow(@Param('id') id: string, @LastEventId() lastEventId?: string) {
    return this.runs.subscribe(id, { lastEventId });
  }

  @Delete(':id')
  cancel(@Param('id') id: string): Promise<boolean> {
    return this.runs.cancel(id);
  }
}
