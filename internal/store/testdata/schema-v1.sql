-- The schema vigie's first versions created (GORM AutoMigrate), before
-- idx_stories_link_key and idx_stories_published were dropped.
CREATE TABLE `stories` (`id` integer PRIMARY KEY AUTOINCREMENT,`entry_id` text NOT NULL,`link_key` text,`link` text,`title` text,`summary` text,`content` text,`author` text,`categories` text,`published` datetime,`updated` datetime,`first_seen` datetime,`source_name` text,`source_url` text,`source_site` text);
CREATE INDEX `idx_stories_first_seen` ON `stories`(`first_seen`);
CREATE INDEX `idx_stories_published` ON `stories`(`published`);
CREATE INDEX `idx_stories_link_key` ON `stories`(`link_key`);
CREATE UNIQUE INDEX `idx_stories_entry_id` ON `stories`(`entry_id`);
CREATE TABLE `guids` (`id` integer PRIMARY KEY AUTOINCREMENT,`source` text NOT NULL,`guid` text NOT NULL,`story_id` integer NOT NULL,`hash` text);
CREATE INDEX `idx_guids_story_id` ON `guids`(`story_id`);
CREATE UNIQUE INDEX `idx_guid_source_guid` ON `guids`(`source`,`guid`);
CREATE TABLE `matches` (`story_id` integer,`topic` text,`keywords` text,PRIMARY KEY (`story_id`,`topic`));
CREATE INDEX `idx_match_topic` ON `matches`(`topic`);
CREATE TABLE `tombstones` (`key` text,`removed` datetime,PRIMARY KEY (`key`));
CREATE TABLE `sources` (`name` text,`url` text,`site_url` text,`e_tag` text,`last_modified` text,`last_attempt` datetime,`last_success` datetime,`last_status` integer,`last_error` text,`consecutive_failures` integer,`next_attempt` datetime,`items_seen` integer,`gone` numeric,PRIMARY KEY (`name`));
