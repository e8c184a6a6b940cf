import { IsBoolean, IsEmail } from 'class-validator';

/** Seed 001's event name: a user's e-mail was verified. */
export const FILTER_VERIFIED = 'filter.verified';

/** Seed 001's `@Query()` DTO: each client streams the events of its own e-mail. */
export class SseQueryDto {
  @IsEmail()
  email!: string;
}

/** The body of `POST /verify` in the tests built on seed 001. */
export class VerifyDto {
  @IsEmail()
  email!: string;

  @IsBoolean()
  isVerified!: boolean;
}
