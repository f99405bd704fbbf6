import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { OutboxRegistry } from '../outbox';
import { WechatApi } from '../wechat';
import { ConsentsService } from './consents.service';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { NotifyController } from './notify.controller';
import { templatesOf } from './notify';
import { notifyOutbox } from './notify.outbox';

/** Hands the outbox relay notify's WeChat deliverer and `grade.changed` handler before it starts. */
@Injectable()
class NotifyOutboxRegistration implements OnModuleInit {
  constructor(
    private readonly registry: OutboxRegistry,
    private readonly db: Database,
    private readonly wechat: WechatApi,
    @Inject(Config.token) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(notifyOutbox(this.db, this.wechat, templatesOf(this.config)));
  }
}

/** Subscribe-message consents and the in-app messages list; the messages themselves go through the outbox, which delivers them with notify's deliverer. */
@Module({
  controllers: [NotifyController, MessagesController],
  providers: [ConsentsService, MessagesService, NotifyOutboxRegistration],
})
export class NotifyModule {}
