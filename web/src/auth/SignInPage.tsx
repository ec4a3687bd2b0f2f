import { useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useChangePassword, useMe, useSignIn } from '../api/session.js';
import { ErrorNotice } from '../ui/feedback.js';
import { EMPTY_PASSWORD_DRAFT, NewPasswordFields, passwordsDiffer } from '../ui/NewPasswordFields.js';

/** Sign in with email and password; then back to where the person was going. */
export function SignInPage() {
  const me = useMe();
  const signIn = useSignIn();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = new URLSearchParams(location.search).get('next') ?? '/';
  if (me.data && !me.data.user.mustChangePassword) return <Navigate to={next.startsWith('/') ? next : '/'} replace />;
  if (me.data?.user.mustChangePassword) return <ChangePasswordForm />;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password });
  };
  return (
    <main className="signin">
      <form className="card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Vigil</h1>
        <label className="field">
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoFocus
          />
        </label>
        <label className="field">
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <ErrorNotice error={signIn.error} />
        <button type="submit" className="primary" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted" style={{ margin: 0, fontSize: 12.5 }}>
          First start? The server printed the administrator's email and one-time password.
        </p>
      </form>
    </main>
  );
}

/** After signing in with a one-time password: choose a new one before anything else. */
function ChangePasswordForm() {
  const change = useChangePassword();
  const [draft, setDraft] = useState(EMPTY_PASSWORD_DRAFT);
  const mismatch = passwordsDiffer(draft);
  return (
    <main className="signin">
      <form
        className="card"
        onSubmit={(event) => {
          event.preventDefault();
          if (!mismatch) change.mutate({ currentPassword: draft.current, newPassword: draft.next });
        }}
      >
        <h1>Choose a new password</h1>
        <p className="muted" style={{ margin: 0 }}>
          You signed in with a one-time password. Choose your own to continue.
        </p>
        <NewPasswordFields currentLabel="One-time password" value={draft} onChange={setDraft} />
        <ErrorNotice error={change.error} />
        <button type="submit" className="primary" disabled={change.isPending || mismatch}>
          Save and continue
        </button>
      </form>
    </main>
  );
}
