import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { AGENCY_CONTACT } from '@/api/config';
import { zh } from '@/i18n/zh';
import './index.css';

function Faq({ q, a }: { q: string; a: string }) {
  const [open, setOpen] = useState(false);
  return (
    <View className="help__faq" data-testid="faq" onClick={() => setOpen(!open)}>
      <View className="help__q">
        <Text className="help__q-text">{q}</Text>
        <Text className="help__toggle">{open ? '−' : '+'}</Text>
      </View>
      {open ? <Text className="help__a">{a}</Text> : null}
    </View>
  );
}

function Template({ title, body }: { title: string; body: string }) {
  const copy = () =>
    void Taro.setClipboardData({ data: body }).then(() => Taro.showToast({ title: zh.help.copied, icon: 'success' }));
  return (
    <View className="help__template" data-testid="template">
      <Text className="help__template-title">{title}</Text>
      <Text className="help__template-body">{body}</Text>
      <Button className="btn-plain help__copy" size="mini" onClick={copy}>
        {zh.help.copy}
      </Button>
    </View>
  );
}

/** Answers to what users ask most, the agency's contact (from the build's config), and templates to copy. */
export default function HelpPage() {
  const call = () => void Taro.makePhoneCall({ phoneNumber: AGENCY_CONTACT.phone }).catch(() => undefined);
  return (
    <View className="page help" data-testid="help">
      <View className="card">
        <Text className="card__title">{zh.help.faqTitle}</Text>
        {zh.help.faqs.map((f) => (
          <Faq key={f.q} q={f.q} a={f.a} />
        ))}
      </View>
      <View className="card" data-testid="contact">
        <Text className="card__title">{zh.help.contactTitle}</Text>
        <Text className="help__line">{AGENCY_CONTACT.name}</Text>
        <View className="help__row">
          <Text className="help__label">{zh.help.phone}</Text>
          <Text className="help__link" onClick={call}>
            {AGENCY_CONTACT.phone}
          </Text>
        </View>
        <View className="help__row">
          <Text className="help__label">{zh.help.address}</Text>
          <Text className="help__value">{AGENCY_CONTACT.address}</Text>
        </View>
        <View className="help__row">
          <Text className="help__label">{zh.help.hours}</Text>
          <Text className="help__value">{AGENCY_CONTACT.hours}</Text>
        </View>
      </View>
      <View className="card">
        <Text className="card__title">{zh.help.templatesTitle}</Text>
        <Text className="muted">{zh.help.templatesHint}</Text>
        {zh.help.templates.map((t) => (
          <Template key={t.title} title={t.title} body={t.body} />
        ))}
      </View>
    </View>
  );
}
