import { describe, expect, it } from 'vitest';
import { classifySmtpError, SmtpConfigurationError, SmtpOutcomeUnknownError, SmtpPermanentError, SmtpTransientError } from '../../src/email/transport';

// Shapes as nodemailer reports them (see its errors module); the real round trips are in test/integration.
const smtpError = (fields: { code?: string; response?: string; responseCode?: number; command?: string }, message = 'failed') =>
  Object.assign(new Error(message), fields);

describe('classifySmtpError', () => {
  it('treats a 5xx for the recipient as permanent and blames the address', () => {
    const error = classifySmtpError(
      smtpError({ code: 'EENVELOPE', response: '550 5.1.1 User unknown', responseCode: 550, command: 'RCPT TO' }),
    );
    expect(error).toBeInstanceOf(SmtpPermanentError);
    expect(error).toMatchObject({ code: 'SMTP_PERMANENT', recipientRejected: true, response: '550 5.1.1 User unknown' });
  });

  it('treats a 5xx for the message body as permanent without blaming the address', () => {
    const error = classifySmtpError(smtpError({ code: 'EMESSAGE', response: '554 5.7.1 Rejected', responseCode: 554, command: 'DATA' }));
    expect(error).toMatchObject({ code: 'SMTP_PERMANENT', recipientRejected: false });
  });

  it.each([
    ['a 4xx', { code: 'EENVELOPE', response: '450 4.2.1 Busy', responseCode: 450, command: 'RCPT TO' }],
    ['503 bad sequence', { code: 'EPROTOCOL', response: '503 5.5.1 Bad sequence', responseCode: 503, command: 'DATA' }],
    ['a dropped connection', { code: 'ECONNECTION', command: 'CONN' }],
    ['a timeout', { code: 'ETIMEDOUT', command: 'CONN' }],
    ['a socket error', { code: 'ESOCKET', command: 'CONN' }],
  ])('treats %s as transient', (_, fields) => {
    const error = classifySmtpError(smtpError(fields));
    expect(error).toBeInstanceOf(SmtpTransientError);
    expect(error.code).toBe('SMTP_TRANSIENT');
  });

  it.each([
    ['a dropped connection', { code: 'ECONNECTION', command: 'CONN' }],
    ['a timeout', { code: 'ETIMEDOUT', command: 'CONN' }],
    ['a socket error', { code: 'ESOCKET', command: 'CONN' }],
  ])('treats %s after the message was handed over as an unknown outcome', (_, fields) => {
    const error = classifySmtpError(smtpError(fields), { messageHandedOver: true });
    expect(error).toBeInstanceOf(SmtpOutcomeUnknownError);
    expect(error).toMatchObject({ code: 'SMTP_OUTCOME_UNKNOWN', message: expect.stringContaining('it may have been accepted') });
  });

  it('lets a reply to the handed-over message decide, as before', () => {
    const deferred = { code: 'EMESSAGE', response: '451 4.3.0 Try later', responseCode: 451, command: 'DATA' };
    const refused = { code: 'EMESSAGE', response: '554 5.7.1 Rejected', responseCode: 554, command: 'DATA' };
    expect(classifySmtpError(smtpError(deferred), { messageHandedOver: true })).toBeInstanceOf(SmtpTransientError);
    expect(classifySmtpError(smtpError(refused), { messageHandedOver: true })).toBeInstanceOf(SmtpPermanentError);
  });

  it.each([
    ['a rejected login', { code: 'EAUTH', response: '535 5.7.8 Bad credentials', responseCode: 535, command: 'AUTH PLAIN' }, 'refused the login (535 5.7.8 Bad credentials)'],
    ['a server that wants a login we do not have', { code: 'ENOAUTH', command: 'API' }, 'asks for a login and none is configured'],
  ])('treats %s as our configuration, naming the settings to fix', (_, fields, reason) => {
    const error = classifySmtpError(smtpError(fields));
    expect(error).toBeInstanceOf(SmtpConfigurationError);
    expect(error.message).toBe(`SMTP_USER/SMTP_PASSWORD: the SMTP server ${reason}${reason.endsWith(')') ? '' : ' (failed)'}`);
  });

  it('treats an address nodemailer refuses to send to as permanent', () => {
    const error = classifySmtpError(smtpError({ code: 'EENVELOPE', command: 'API' }, 'Invalid recipient "a b"'));
    expect(error).toMatchObject({ code: 'SMTP_PERMANENT', recipientRejected: true });
  });
});
