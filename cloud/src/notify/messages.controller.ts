import { Controller, Param, Query } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  listMyMessagesQuery,
  markAllMessagesReadResultSchema,
  messageIdParams,
  userMessageListSchema,
  userMessageSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint } from '../common/endpoint';
import { MessagesService } from './messages.service';

type P<S extends z.ZodType> = z.infer<S>;

function user(p: Principal) {
  if (p.kind !== 'user') throw new AppError(ErrorCodes.FORBIDDEN, '仅企业用户可调用该接口');
  return p;
}

/** The in-app messages list: the notices the system gave the caller. */
@Controller('me/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Endpoint({
    method: 'GET',
    path: '',
    operationId: 'listMyMessages',
    summary: '我的消息：审核决定、退回补正、期限调整、信用等级变化、信易贷进度（新的在前，每页 20 条）',
    tags: ['notify'],
    callers: ['enterprise'],
    query: listMyMessagesQuery,
    response: userMessageListSchema,
  })
  listMyMessages(@Query() q: P<typeof listMyMessagesQuery>, @CurrentPrincipal() who: Principal) {
    return this.messages.list(user(who), q);
  }

  @Endpoint({
    method: 'POST',
    path: 'read-all',
    operationId: 'markAllMessagesRead',
    summary: '全部消息标为已读',
    tags: ['notify'],
    callers: ['enterprise'],
    response: markAllMessagesReadResultSchema,
    status: 200,
  })
  markAllMessagesRead(@CurrentPrincipal() who: Principal) {
    return this.messages.markAllRead(user(who));
  }

  @Endpoint({
    method: 'POST',
    path: ':id/read',
    operationId: 'markMessageRead',
    summary: '标记一条消息为已读（本人的消息）',
    tags: ['notify'],
    callers: ['enterprise'],
    params: messageIdParams,
    response: userMessageSchema,
    status: 200,
  })
  markMessageRead(@Param() p: P<typeof messageIdParams>, @CurrentPrincipal() who: Principal) {
    return this.messages.markRead(user(who), p.id);
  }
}
