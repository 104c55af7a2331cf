/** One e-mail to send; `key` is the provider's idempotency key (the same key is delivered once). */
export interface OutgoingEmail {
  key: string;
  taskId: string;
  to: string;
  subject: string;
  body: string;
}

/** Where e-mails go. 'duplicate': the provider already had this key and sent nothing. */
export interface EmailProvider {
  send(email: OutgoingEmail): Promise<'sent' | 'duplicate'>;
}

export const EMAIL_PROVIDER = Symbol('tasks:email-provider');
