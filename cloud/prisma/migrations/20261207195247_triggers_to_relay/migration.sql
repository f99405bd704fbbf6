-- ADR 0027 step 4: the triggers on credit_record_version and outbox that reached coordinator tables
-- (watch_scope, typical_case, red_list_entry, application_event, audit_log, result_feed_event) become
-- relay handlers on the coordinator. Citus runs a distributed table's triggers on its shard's node.
DROP TRIGGER IF EXISTS invest_watch_on_record ON credit_record_version;
DROP TRIGGER IF EXISTS site_withdraw_on_record ON credit_record_version;
DROP TRIGGER IF EXISTS site_withdraw_on_downgrade ON outbox;
DROP TRIGGER IF EXISTS result_feed_from_outbox ON outbox;
DROP FUNCTION IF EXISTS invest_watch_on_record();
DROP FUNCTION IF EXISTS site_withdraw_on_record();
DROP FUNCTION IF EXISTS site_withdraw_on_downgrade();
DROP FUNCTION IF EXISTS result_feed_from_outbox();

-- A new negative record (first version, current, active or under objection, of a negative kind)
-- becomes one internal `record.negative` message in its version's bucket, in the transaction that
-- adds it: the only rows this trigger writes are its own bucket's (colocated on Citus). The relay
-- then matches watch scopes (invest) and withdraws typical cases and red-list entries (site). The
-- site withdrawal also needs the record in its window on the day it was added: `queuedOn`.
CREATE OR REPLACE FUNCTION record_negative_to_outbox() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox (message_id, destination, topic, entity_id, bucket, payload)
  SELECT 'record.negative:' || v.id, 'internal', 'record.negative', v.entity_id, v.bucket,
    jsonb_build_object('versionId', v.id, 'recordId', v.record_id, 'entityId', v.entity_id, 'kind', v.kind,
      'category', v.category, 'severity', v.severity, 'status', v.status,
      'occurredOn', to_char(v.occurred_on, 'YYYY-MM-DD'), 'recordedAt', v.recorded_at,
      'summary', v.payload->>'summary', 'authority', v.payload->>'authority',
      'validFrom', to_char(v.valid_from, 'YYYY-MM-DD'), 'validTo', to_char(v.valid_to, 'YYYY-MM-DD'),
      'queuedOn', to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD'))
  FROM new_versions v
  WHERE v.version = 1 AND v.superseded_at IS NULL AND v.status IN ('active', 'under_objection')
    AND v.kind IN ('penalty', 'abnormal_listing', 'dishonesty_listing', 'enforcement', 'arrears', 'loan_default',
                   'safety_violation', 'key_person_listing')
  ON CONFLICT (message_id, destination, bucket) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER record_negative_to_outbox AFTER INSERT ON credit_record_version
  REFERENCING NEW TABLE AS new_versions
  FOR EACH STATEMENT EXECUTE FUNCTION record_negative_to_outbox();
