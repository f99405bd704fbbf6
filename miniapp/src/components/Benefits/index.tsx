import { Text, View } from '@tarojs/components';
import type { Grade } from '@/api/types';
import { zh } from '@/i18n/zh';
import './index.css';

interface BenefitsProps {
  grade: Grade;
}

/**
 * The plan recommends A-grade entities to banks for 信易贷 and gives "good records" the approval
 * green channel; the product reads "good" as grade A, so both benefits show together.
 */
export function Benefits({ grade }: BenefitsProps) {
  if (grade !== 'A') {
    return <Text className="benefits__locked">{zh.home.benefitsLocked}</Text>;
  }
  return (
    <View className="benefits">
      <Text className="benefits__item">{zh.home.greenChannel}</Text>
      <Text className="benefits__item">{zh.home.creditLoan}</Text>
    </View>
  );
}
