import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import {
  listMyMessages,
  markAllMessagesRead,
  markMessageRead,
  selectEntity,
  userMessage,
  type UserMessage,
  type UserMessageList,
} from '@/api';
import { Empty, Loading, RemoteError } from '@/components/StatusView';
import { useRemote } from '@/hooks/useRemote';
import { zh } from '@/i18n/zh';
import { applicationUrl, breakdownUrl, loanApplicationsUrl } from '@/routes';
import { formatDateTimeCst } from '@/utils/format';
import './index.css';

/** The page a message opens; null when it names nothing the app can show. */
function messageUrl(m: UserMessage): string | null {
  const { link } = m;
  if (link.kind === 'application' && link.applicationKind && link.id)
    return applicationUrl(link.applicationKind, link.id);
  if (link.kind === 'loan_application' && m.entityId && link.id) return loanApplicationsUrl(m.entityId, link.id);
  if (link.kind === 'evaluation' && m.entityId) return breakdownUrl(m.entityId);
  return null;
}

/** 我的消息: every notice the system gave me, newest first; unread ones marked; each opens its page. */
export default function MessagesPage() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [more, setMore] = useState<UserMessage[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const load = useCallback(() => listMyMessages({ unread: unreadOnly }), [unreadOnly]);
  const [state, reload] = useRemote<UserMessageList>(unreadOnly ? 'unread' : 'all', load);
  // Back from a message's page: the read marks and new notices show.
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) {
      setMore([]);
      setNext(undefined);
      reload({ quiet: true });
    }
    shown.current = true;
  });

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <RemoteError state={state} onRetry={reload} />;
  const list = state.data;
  const items = [...list.items, ...more];
  const nextBefore = next === undefined ? list.nextBefore : next;

  const open = async (m: UserMessage) => {
    const url = messageUrl(m);
    if (!m.readAt) await markMessageRead(m.id).catch(() => undefined);
    if (m.entityId) selectEntity(m.entityId);
    if (url) void Taro.navigateTo({ url });
    else reload({ quiet: true });
  };
  const readAll = async () => {
    try {
      await markAllMessagesRead();
      setMore([]);
      setNext(undefined);
      reload({ quiet: true });
    } catch (error) {
      void Taro.showToast({ title: userMessage(error), icon: 'none' });
    }
  };
  const loadMore = async () => {
    if (!nextBefore) return;
    setLoadingMore(true);
    try {
      const page = await listMyMessages({ unread: unreadOnly, before: nextBefore });
      setMore((m) => [...m, ...page.items]);
      setNext(page.nextBefore);
    } catch (error) {
      void Taro.showToast({ title: userMessage(error), icon: 'none' });
    } finally {
      setLoadingMore(false);
    }
  };
  const switchFilter = (only: boolean) => {
    setMore([]);
    setNext(undefined);
    setUnreadOnly(only);
  };

  const f = zh.messages;
  return (
    <View className="page messages" data-testid="messages">
      <Text className="muted messages__intro">{f.intro}</Text>
      <View className="messages__bar">
        <View className="messages__tabs">
          <Text
            className={`messages__tab ${unreadOnly ? '' : 'messages__tab--on'}`}
            data-testid="messages-all"
            onClick={() => switchFilter(false)}
          >
            {f.all}
          </Text>
          <Text
            className={`messages__tab ${unreadOnly ? 'messages__tab--on' : ''}`}
            data-testid="messages-unread"
            onClick={() => switchFilter(true)}
          >
            {f.unreadOnly}
            {list.unread > 0 ? `（${list.unread}）` : ''}
          </Text>
        </View>
        {list.unread > 0 ? (
          <Text className="messages__read-all" data-testid="read-all" onClick={() => void readAll()}>
            {f.readAll}
          </Text>
        ) : null}
      </View>
      {items.length === 0 ? <Empty title={f.empty} hint={f.emptyHint} /> : null}
      {items.map((m) => (
        <View
          key={m.id}
          className={`card messages__item ${m.readAt ? '' : 'messages__item--unread'}`}
          data-testid="message"
          data-unread={m.readAt ? 'false' : 'true'}
          onClick={() => void open(m)}
        >
          <View className="messages__head">
            {m.readAt ? null : <View className="messages__dot" aria-label={f.unread} />}
            <Text className="messages__title">{m.title}</Text>
          </View>
          <Text className="messages__body">{m.body}</Text>
          <View className="messages__meta">
            <Text className="muted">
              {m.entityName ? `${m.entityName} · ` : ''}
              {formatDateTimeCst(m.createdAt)}
            </Text>
            {messageUrl(m) ? <Text className="messages__open">{f.open} ›</Text> : null}
          </View>
        </View>
      ))}
      {nextBefore ? (
        <Button className="btn-plain" loading={loadingMore} onClick={() => void loadMore()}>
          {f.more}
        </Button>
      ) : null}
    </View>
  );
}
