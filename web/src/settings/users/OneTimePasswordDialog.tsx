import type { UserWithPassword } from '../../api/users.js';
import { SecretOnceDialog } from '../../ui/SecretOnceDialog.js';

/** Shows a user's generated one-time password, once. */
export function OneTimePasswordDialog({ result, onClose }: { result: UserWithPassword; onClose: () => void }) {
  return (
    <SecretOnceDialog
      title={`One-time password for ${result.user.displayName}`}
      intro={`Give it to ${result.user.email} through a safe channel. They must choose their own password when they sign in.`}
      secret={
        result.oneTimePassword
          ? {
              label: 'One-time password',
              value: result.oneTimePassword,
              warning: 'Vigil shows this password only now; reset it again if it is lost.',
            }
          : null
      }
      onClose={onClose}
    />
  );
}
