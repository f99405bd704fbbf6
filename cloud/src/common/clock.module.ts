import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

/** Global: sign-in, identity, ingestion and the rights workflows all take their time from one Clock. */
@Global()
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class ClockModule {}
