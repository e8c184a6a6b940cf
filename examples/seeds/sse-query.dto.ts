import { IsEmail } from 'class-validator';

/**
 * Seed 001's `sse-query.dto.ts`, which the article imports but does not show: the query of
 * `GET /sse?email=`, validated (a missing or malformed e-mail answers 400 before the stream).
 */
export class SseQueryDto {
  @IsEmail()
  email!: string;
}
