
/* Appended to localstripe's Stripe.js emulation by scripts/localstripe_server.py (see why there).
 *
 * stripe.confirmCardPayment(clientSecret, {payment_method: {card: cardElement}}) confirms the
 * PaymentIntent with the card typed into the Element (or {payment_method: "pm_..."}), as Stripe.js
 * does; only a card that requires 3-D Secure opens localstripe's authentication dialog. Resolves to
 * {paymentIntent} or {error}, like Stripe.js.
 */
(function () {
  'use strict';

  const localstripeStripe = Stripe;

  async function post(url, body) {
    const response = await fetch(url, {method: 'POST', body: JSON.stringify(body)});
    const json = await response.json().catch(() => ({}));
    if (!response.ok || json.error) {
      return {error: json.error || {message: `localstripe answered ${response.status}`}};
    }
    return {paymentIntent: json};
  }

  function paymentMethodFields(paymentMethod) {
    if (typeof paymentMethod === 'string') {
      return {payment_method: paymentMethod};
    }
    const data = {type: 'card', ...paymentMethod};
    if (data.card instanceof Element) {
      const value = data.card.value;
      if (!value) {
        return {error: {type: 'validation_error', code: 'incomplete_number',
                        message: 'Your card number is incomplete.'}};
      }
      data.card = value.card;
      const billing = data.billing_details || {};
      data.billing_details = {
        ...billing,
        address: {postal_code: value.postal_code, ...(billing.address || {})},
      };
    }
    return {payment_method_data: data};
  }

  Stripe = (apiKey) => {
    const stripe = localstripeStripe(apiKey);
    stripe.confirmCardPayment = async (clientSecret, data) => {
      console.log('localstripe: Stripe().confirmCardPayment() (bookstore fix)');
      try {
        const intentUrl = `${LOCALSTRIPE_BASE_API}/v1/payment_intents/` +
                          clientSecret.match(/^(pi_\w+)_secret_/)[1];
        const fields = paymentMethodFields((data || {}).payment_method || {});
        if (fields.error) {
          return fields;
        }
        const confirmed = await post(`${intentUrl}/confirm`,
                                     {key: apiKey, client_secret: clientSecret, ...fields});
        if (confirmed.error || confirmed.paymentIntent.status !== 'requires_action') {
          return confirmed;
        }
        const success = await openModal('3D Secure\nDo you want to confirm or cancel?',
                                        'Complete authentication', 'Fail authentication');
        const authenticated = await post(`${intentUrl}/_authenticate?success=${success}`,
                                         {key: apiKey, client_secret: clientSecret});
        if (!authenticated.error && authenticated.paymentIntent.last_payment_error) {
          return {error: authenticated.paymentIntent.last_payment_error};
        }
        return authenticated;
      } catch (err) {
        return {error: {message: String(err)}};
      }
    };
    return stripe;
  };
})();
