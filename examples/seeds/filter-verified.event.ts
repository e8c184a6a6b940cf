import { IsEmail } from 'class-validator';

/** The event name seed 001 emits and listens to (its value is not shown in the article). */
export const FILTER_VERIFIED = 'filter.verified';

/** The payload seed 001 emits: which e-mail was (or was not) verified. */
export class FilterVerifiedEvent {
  email!: string;
  isVerified!: boolean;
}

/** The body of seed 001's `POST /verify`, the route around the emit the article shows. */
export class UserDto {
  @IsEmail()
  email!: string;
}
