-- The language of a person's mail (and the console's default for them): the console's languages.
ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en' CONSTRAINT users_locale_check CHECK (locale IN ('en', 'zh-CN'));
