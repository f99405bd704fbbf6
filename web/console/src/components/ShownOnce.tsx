import type { ReactNode } from 'react';
import { Modal } from 'antd';

/**
 * A secret shown once (an API key, a signing secret, a first password and TOTP secret): the only
 * way out is to confirm it was kept, since it cannot be shown again.
 */
export function ShownOnce({
  open,
  title,
  okText = '我已妥善保存',
  width,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  okText?: string;
  width?: number;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Modal
      open={open}
      title={`${title}（只显示这一次）`}
      okText={okText}
      cancelButtonProps={{ style: { display: 'none' } }}
      onOk={onClose}
      onCancel={onClose}
      width={width}
    >
      {children}
    </Modal>
  );
}
