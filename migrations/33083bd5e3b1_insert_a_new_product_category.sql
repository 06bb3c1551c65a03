-- insert a new product_category
--
-- Revision ID: 33083bd5e3b1
-- Revises: d5e376c66584
-- Create Date: 2024-04-01 17:45:00.000000

-- migrate:upgrade
INSERT INTO ecommerce_olist.product_category (product_id, product_category_name)
VALUES (1, 'new_category'), (2, 'new_category2');

-- migrate:downgrade
DELETE FROM ecommerce_olist.product_category WHERE product_id IN (1, 2);
