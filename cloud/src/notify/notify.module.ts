import { Module } from '@nestjs/common';
import { NotifyController } from './notify.controller';

/** Subscribe-message consents; the messages themselves go through the outbox (OutboxModule). */
@Module({ controllers: [NotifyController] })
export class NotifyModule {}
