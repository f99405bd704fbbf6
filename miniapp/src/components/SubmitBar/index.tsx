import { Button, Text, View } from '@tarojs/components';
import { zh } from '@/i18n/zh';
import './index.css';

interface SubmitBarProps {
  label: string;
  note?: string;
  busy: boolean;
  error: string | null;
  onSubmit: () => void;
}

export function SubmitBar({ label, note, busy, error, onSubmit }: SubmitBarProps) {
  return (
    <View className="submit-bar">
      {error ? (
        <Text className="submit-bar__error" data-testid="submit-error">
          {error}
        </Text>
      ) : null}
      <Button
        className={`btn-primary ${busy ? 'btn--disabled' : ''}`}
        // undefined, not false: Taro's H5 button reflects disabled="false", which its CSS greys out.
        loading={busy || undefined}
        disabled={busy || undefined}
        onClick={onSubmit}
        data-testid="submit"
      >
        {busy ? zh.common.submitting : label}
      </Button>
      {note ? <Text className="submit-bar__note">{note}</Text> : null}
    </View>
  );
}
